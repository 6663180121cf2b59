package io.relay.push.transport;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.push.session.SessionServices;
import io.relay.service.ApiError;
import io.relay.service.Identity;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /v1/ack {"seq":"…","device":"…"}} (docs/protocol.md#websocket): the WebSocket {@code ack} frame for clients
 * without a socket. Moves the device's cursor forward to {@code seq} (cumulative, never back), so
 * a later connect or poll without {@code since} resumes after it. Answers
 * {@code 200 {"seq":"…","device":"…"}}. The caller is authenticated before the body is read.
 */
public final class AckEndpoint {

  /** An ack is two short strings: anything bigger is not one ({@code 413}). */
  static final int MAX_BODY_BYTES = 1024;
  private static final String CALLER = "relay.ack.caller";

  private final SessionServices services;
  private final FallbackAuth auth;

  public AckEndpoint(SessionServices services, FallbackAuth auth) {
    this.services = services;
    this.auth = auth;
  }

  /** Reads the body, refusing one over {@link #MAX_BODY_BYTES}; mount it before {@link #handle}. */
  public static BodyHandler bodies() {
    return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
  }

  /**
   * The first step: who is calling, before the body is read. The request stays paused until the
   * caller is known (the body handler after this resumes it); a refused one is answered without
   * reading its body.
   */
  public void authenticate(RoutingContext ctx) {
    ctx.request().pause();
    auth.verify(auth.tokenOf(ctx.request()))
        .onSuccess(identity -> {
          ctx.put(CALLER, identity);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  /** The step after {@link #authenticate} and {@link #bodies}. */
  public void handle(RoutingContext ctx) {
    Identity identity = ctx.get(CALLER);
    JsonObject body = jsonObject(ctx);
    Seq seq = seqOf(body);
    String device = deviceOf(body);
    ack(identity.uid(), device, seq)
        .onSuccess(v -> ctx.json(new JsonObject().put("seq", seq.toString()).put("device", device)))
        .onFailure(ctx::fail);
  }

  /** Like the WebSocket ack, only what the log has reached: a cursor beyond it would skip entries. */
  private Future<Void> ack(String uid, String device, Seq seq) {
    return services.logs().newest(uid).compose(newest -> {
      if (!seq.equals(Seq.ZERO) && (newest == null || seq.isAfter(newest))) {
        return Future.failedFuture(ApiError.invalidField("seq is after the newest entry of your log"));
      }
      return services.cursors().ack(uid, device, seq);
    });
  }

  private static JsonObject jsonObject(RoutingContext ctx) {
    try {
      if (ctx.body().length() > 0 && ctx.body().buffer().toJsonValue() instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw new ApiError(ErrorCode.INVALID_JSON, "request body is not valid JSON");
    }
    throw new ApiError(ErrorCode.INVALID_JSON, "request body must be a JSON object like {\"seq\":\"…\"}");
  }

  private static Seq seqOf(JsonObject body) {
    if (!(body.getValue("seq") instanceof String text) || !Seq.isValid(text)) {
      throw ApiError.invalidField("seq must be a seq string like 1732300000000-0");
    }
    return Seq.parse(text);
  }

  private static String deviceOf(JsonObject body) {
    Object device = body.getValue("device");
    if (device == null) {
      return "default";
    }
    if (!(device instanceof String name) || !Ids.isValidName(name)) {
      throw ApiError.invalidField("device must be 1-64 characters of [A-Za-z0-9_.:@-]");
    }
    return name;
  }
}
