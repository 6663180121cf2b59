package io.relay.push.transport;

import io.relay.model.CloseCode;
import io.relay.model.Seq;
import io.relay.push.channel.ChannelParams;
import io.relay.push.channel.ChannelServices;
import io.relay.push.channel.ConnectionChannels;
import io.relay.push.session.BindingLease;
import io.relay.push.session.ClientSession;
import io.relay.push.session.SessionServices;
import io.relay.push.session.SetupGate;
import io.relay.service.Identity;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/sse} (docs/protocol.md#websocket): the WebSocket session over Server-Sent Events, for clients that can
 * only read. Resumes after {@code Last-Event-ID} (else {@code ?since=}, else the device's acked
 * cursor). With {@code channels=a,b} (each optionally {@code name:OFFSET}) the stream also carries
 * those channels, as on a WebSocket that subscribed them once hello was sent. Refusals are docs/protocol.md#errors JSON:
 * {@code 403} origin or a channel the token does not grant, {@code 401} token, {@code 400} parameters,
 * {@code 429} when the user already has {@code RELAY_MAX_CONNS_PER_USER} connections, {@code 503}
 * when too many connections wait for their set-up on this node ({@link SetupGate}).
 */
public final class SseEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(SseEndpoint.class);

  private final SessionServices services;
  private final ChannelServices channels;
  private final FallbackAuth auth;

  public SseEndpoint(SessionServices services, ChannelServices channels, FallbackAuth auth) {
    this.services = services;
    this.channels = channels;
    this.auth = auth;
  }

  public void handle(RoutingContext ctx) {
    String token = auth.tokenOf(ctx.request());
    Seq lastEventId = ResumeParams.lastEventId(ctx.request());
    Seq since = lastEventId != null ? lastEventId : ResumeParams.since(ctx.request());
    String device = ResumeParams.device(ctx.request());
    String channelParam = ctx.request().getParam("channels");
    auth.verify(token)
        .compose(identity -> {
          // Every refusal (a channel the token does not grant, the connection limit) before the stream starts.
          Map<String, Seq> wanted = ChannelParams.parse(channelParam, identity, channels.settings().maxChannels());
          return services.setups().enter(() -> ctx.response().closed()).compose(turn ->
              services.admit(identity.uid(), "sse", since == null ? device : null)
                  .onFailure(e -> turn.release())
                  .onSuccess(lease -> accept(ctx, identity, device, since, wanted, lease, turn)));
        })
        .onFailure(e -> {
          if (!(e instanceof SetupGate.Abandoned)) {
            ctx.fail(e);
          }
        });
  }

  private void accept(RoutingContext ctx, Identity identity, String device, Seq since, Map<String, Seq> wanted,
      BindingLease lease, SetupGate.Permit turn) {
    if (ctx.response().closed()) {
      turn.release();
      lease.release();
      return; // gone while its token was checked: its close handler would never run
    }
    SseTransport transport = new SseTransport(ctx, services.config().sendQueueMax(),
        services.config().sendQueueBytes());
    ClientSession session = new ClientSession(services, identity, device, transport, lease);
    ConnectionChannels subscriptions = channels.forConnection(identity, new SessionChannelSink(session));
    session.whenReleased(subscriptions::releaseAll);
    session.greeted().onSuccess(v -> wanted.forEach(subscriptions::subscribe));
    // The client going away is the only way a stream ends from its side: release at once.
    ctx.response().closeHandler(v -> session.released());
    ctx.response().exceptionHandler(e -> LOG.debug("sse {} failed: {}", session.connectionId(), e.toString()));
    // The turn ends with hello (the replay's first page is read by then), not with the whole replay,
    // which a slow client paces; or when the set-up fails.
    session.greeted().onComplete(v -> turn.release());
    session.open(since).onComplete(done -> turn.release()).onFailure(e -> {
      LOG.warn("could not set up sse {} of {}: {}", session.connectionId(), identity.uid(), e.toString());
      session.close(CloseCode.TRY_AGAIN_LATER);
    });
  }
}
