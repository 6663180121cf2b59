package io.relay.push.transport;

import io.netty.channel.ChannelHandlerContext;
import io.relay.model.CloseCode;
import io.relay.model.ErrorCode;
import io.relay.model.Frames;
import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.push.channel.ChannelServices;
import io.relay.push.channel.ConnectionChannels;
import io.relay.push.session.BindingLease;
import io.relay.push.session.ClientSession;
import io.relay.push.session.SessionServices;
import io.relay.push.session.SetupGate;
import io.relay.service.ApiError;
import io.relay.service.CorsPolicy;
import io.relay.service.Identity;
import io.relay.service.RelayAuth;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/ws} (docs/protocol.md#websocket). Before the upgrade: origin ({@code 403}), missing token ({@code 401}),
 * bad {@code since}/{@code device} ({@code 400}). A token that is present but invalid or expired
 * upgrades and is closed with 4001, so a browser (which cannot read a refused handshake) knows
 * to fetch a new token. A user who already has {@code RELAY_MAX_CONNS_PER_USER} connections is
 * answered {@code 429 rate_limited} with {@code Retry-After}, before the upgrade: the admission
 * binds the connection in the same Redis round trip that counts the user's connections. Set-ups
 * take turns through the node's {@link SetupGate}: a handshake that finds too many waiting is
 * answered {@code 503 unavailable} with {@code Retry-After}, also before the upgrade.
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
    ctx.request().pause(); // the upgrade comes after Redis has answered: the request must not end before
    // The token is checked when the handshake's turn comes: one whose client gives up waiting costs no HMAC.
    services.setups().enter(() -> ctx.response().closed()).onComplete(turn -> {
      if (turn.succeeded()) {
        verify(ctx, token, device, since, turn.result());
      } else if (!(turn.cause() instanceof SetupGate.Abandoned)) {
        ctx.fail(turn.cause()); // too many waiting: 503 with Retry-After before any upgrade
      }
    });
  }

  private void verify(RoutingContext ctx, String token, String device, Seq since, SetupGate.Permit turn) {
    auth.verify(token).onComplete(verified -> {
      if (verified.succeeded()) {
        admit(ctx, verified.result(), device, since, turn);
        return;
      }
      turn.release();
      upgrade(ctx, socket -> socket.close(CloseCode.BAD_TOKEN.code(), CloseCode.BAD_TOKEN.reason()));
    });
  }

  /** Binds the connection within its user's limit, upgrades it and sets it up; {@code turn} ends with the set-up. */
  private void admit(RoutingContext ctx, Identity identity, String device, Seq since, SetupGate.Permit turn) {
    services.admit(identity.uid(), "ws", since == null ? device : null).onComplete(admitted -> {
      if (admitted.succeeded()) {
        BindingLease lease = admitted.result();
        upgrade(ctx, socket -> accept(ctx, socket, identity, device, since, lease, turn)).onFailure(e -> {
          lease.release();
          turn.release();
        });
        return;
      }
      turn.release();
      if (isRateLimited(admitted.cause())) {
        ctx.fail(admitted.cause()); // the user's connection limit: 429 before any upgrade
      } else {
        upgrade(ctx, socket -> socket.close(CloseCode.TRY_AGAIN_LATER.code(), CloseCode.TRY_AGAIN_LATER.reason()));
      }
    });
  }

  private static Future<ServerWebSocket> upgrade(RoutingContext ctx, Consumer<ServerWebSocket> then) {
    return ctx.request().toWebSocket()
        .onSuccess(then::accept)
        .onFailure(e -> LOG.debug("websocket upgrade failed: {}", e.toString()));
  }

  /** A frame past the connection's budget is answered {@code rate_limited} and not acted on; the connection stays. */
  private boolean withinBudget(FrameBudget budget, ClientSession session) {
    if (budget.take()) {
      return true;
    }
    services.metrics().rateLimited.increment();
    session.reply(Frames.error(ErrorCode.RATE_LIMITED, "too many frames, at most "
        + services.config().framesPerSec() + " a second: this one was not acted on"));
    return false;
  }

  static boolean isRateLimited(Throwable e) {
    return e instanceof ApiError error && error.code() == ErrorCode.RATE_LIMITED;
  }

  private void accept(RoutingContext ctx, ServerWebSocket socket, Identity identity, String device, Seq since,
      BindingLease lease, SetupGate.Permit turn) {
    ChannelHandlerContext channel = NettyChannels.webSocketHandler(ctx.request());
    HandshakeLeftovers.drop(channel); // before anything is written: what an idle socket holds is halved
    WebSocketTransport transport = new WebSocketTransport(socket, channel,
        services.config().sendQueueMax(), services.config().sendQueueBytes());
    ClientSession session = new ClientSession(services, identity, device, transport, lease);
    ConnectionChannels subscriptions = channels.forConnection(identity, new SessionChannelSink(session));
    session.whenReleased(subscriptions::releaseAll);
    ClientFrames frames = new ClientFrames(session, services.cursors(), services.receipts(), services.typing(),
        subscriptions);
    int maxFrame = services.config().maxFrameBytes();
    FrameBudget budget = new FrameBudget(services.config().framesPerSec(), System::currentTimeMillis);
    socket.textMessageHandler(text -> {
      session.touch();
      if (text.length() > maxFrame || text.getBytes(StandardCharsets.UTF_8).length > maxFrame) {
        session.close(CloseCode.FRAME_TOO_LARGE);
      } else if (withinBudget(budget, session)) {
        frames.handle(text);
      }
    });
    socket.binaryMessageHandler(data -> {
      session.touch();
      if (withinBudget(budget, session)) {
        frames.rejectBinary();
      }
    });
    socket.pongHandler(data -> session.touch());
    socket.closeHandler(v -> session.released());
    socket.exceptionHandler(e -> LOG.debug("websocket {} failed: {}", session.connectionId(), e.toString()));
    // The turn ends with hello (the replay's first page is read by then), not with the whole replay,
    // which a slow client paces; or when the set-up fails.
    session.greeted().onComplete(v -> turn.release());
    session.open(since).onComplete(done -> turn.release()).onFailure(e -> {
      if (socket.isClosed()) {
        // The client left during set-up (the live subscription then fails "unsubscribed"): no failure.
        LOG.debug("connection {} of {} closed during set-up: {}", session.connectionId(), identity.uid(), e.toString());
      } else {
        LOG.warn("could not set up connection {} of {}: {}", session.connectionId(), identity.uid(), e.toString());
      }
      session.close(CloseCode.TRY_AGAIN_LATER);
    });
  }
}
