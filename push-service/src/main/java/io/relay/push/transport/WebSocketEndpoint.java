package io.relay.push.transport;

import io.relay.model.CloseCode;
import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.push.channel.ChannelServices;
import io.relay.push.channel.ConnectionChannels;
import io.relay.push.session.ClientSession;
import io.relay.push.session.SessionServices;
import io.relay.service.ApiError;
import io.relay.service.CorsPolicy;
import io.relay.service.Identity;
import io.relay.service.RelayAuth;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/ws} (§4). Before the upgrade: origin ({@code 403}), missing token ({@code 401}),
 * bad {@code since}/{@code device} ({@code 400}). A token that is present but invalid or expired
 * upgrades and is closed with 4001, so a browser (which cannot read a refused handshake) knows
 * to fetch a new token.
 */
public final class WebSocketEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);

  private final SessionServices services;
  private final ChannelServices channels;
  private final RelayAuth auth;
  private final CorsPolicy cors;

  public WebSocketEndpoint(SessionServices services, ChannelServices channels, RelayAuth auth, CorsPolicy cors) {
    this.services = services;
    this.channels = channels;
    this.auth = auth;
    this.cors = cors;
  }

  public void handle(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      throw ApiError.invalidField("this endpoint needs a WebSocket upgrade");
    }
    if (!cors.allows(ctx.request())) {
      throw ApiError.forbidden("origin not allowed");
    }
    String token = RelayAuth.tokenOf(ctx.request(), true);
    if (token == null || token.isBlank()) {
      throw ApiError.unauthorized("missing token");
    }
    Seq since = ResumeParams.since(ctx.request());
    String device = ResumeParams.device(ctx.request());
    auth.verify(token).onComplete(verified -> ctx.request().toWebSocket()
        .onSuccess(socket -> {
          if (verified.failed()) {
            socket.close(CloseCode.BAD_TOKEN.code(), CloseCode.BAD_TOKEN.reason());
          } else {
            accept(socket, verified.result(), device, since);
          }
        })
        .onFailure(e -> LOG.debug("websocket upgrade failed: {}", e.toString())));
  }

  private void accept(ServerWebSocket socket, Identity identity, String device, Seq since) {
    WebSocketTransport transport = new WebSocketTransport(socket, services.config().sendQueueMax(),
        services.config().sendQueueBytes());
    ClientSession session = new ClientSession(services, identity, device, transport);
    ConnectionChannels subscriptions = channels.forConnection(identity, new SessionChannelSink(session));
    session.whenReleased(subscriptions::releaseAll);
    ClientFrames frames = new ClientFrames(session, services.cursors(), services.receipts(), services.typing(),
        subscriptions);
    int maxFrame = services.config().maxFrameBytes();
    socket.textMessageHandler(text -> {
      session.touch();
      if (text.length() > maxFrame || text.getBytes(StandardCharsets.UTF_8).length > maxFrame) {
        session.close(CloseCode.FRAME_TOO_LARGE);
      } else {
        frames.handle(text);
      }
    });
    socket.binaryMessageHandler(data -> {
      session.touch();
      frames.rejectBinary();
    });
    socket.pongHandler(data -> session.touch());
    socket.closeHandler(v -> session.released());
    socket.exceptionHandler(e -> LOG.debug("websocket {} failed: {}", session.connectionId(), e.toString()));
    session.open(since).onFailure(e -> {
      LOG.warn("could not set up connection {} of {}: {}", session.connectionId(), identity.uid(), e.toString());
      session.close(CloseCode.TRY_AGAIN_LATER);
    });
  }
}
