package io.relay.service;

import io.relay.model.ErrorCode;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns a failure into a docs/protocol.md#errors body: {@code {"error":{"code","message"}}}. */
public final class ErrorRenderer {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorRenderer.class);

  private ErrorRenderer() {
  }

  /**
   * Renders every failure and the router's own 404/405/413 as docs/protocol.md#errors errors, and refuses requests
   * whose URI is not valid percent-encoding ({@code 400}) before any route has to match it.
   */
  public static void install(Router router) {
    router.route().failureHandler(ErrorRenderer::handle);
    router.route().handler(ErrorRenderer::refuseMalformedUri);
    router.errorHandler(404, ctx -> send(ctx, ErrorCode.NOT_FOUND, "no such resource"));
    router.errorHandler(405, ctx -> send(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed here"));
    router.errorHandler(413, ctx -> send(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "request body too large"));
  }

  private static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError error) {
      send(ctx, error);
    } else if (failure instanceof HttpException http) {
      ErrorCode code = codeFor(http.getStatusCode());
      send(ctx, code, http.getPayload() != null ? http.getPayload() : code.code());
    } else if (failure == null) {
      ErrorCode code = codeFor(ctx.statusCode());
      send(ctx, code, code == ErrorCode.PAYLOAD_TOO_LARGE ? "request body too large" : code.code());
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      ErrorCode code = codeFor(ctx.statusCode());
      send(ctx, code, failure.getMessage() != null ? failure.getMessage() : code.code());
    } else if (isFormTooLarge(failure)) {
      send(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "request body too large");
    } else if (isBrokenRequest(failure)) {
      LOG.debug("broken request on {} {}: {}", ctx.request().method(), ctx.request().path(), failure.toString());
      send(ctx, ErrorCode.INVALID_FIELD, "malformed or incomplete HTTP request");
    } else {
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      send(ctx, ErrorCode.INTERNAL, "internal error");
    }
  }

  /** Route matching decodes the path; a bad escape ({@code %zz}) must be the client's 400, not a 500. */
  private static void refuseMalformedUri(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
      ctx.queryParams();
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiError.invalidField("malformed request URI: " + e.getMessage()));
      return;
    }
    ctx.next();
  }

  /**
   * A request the client broke while it was being read: the connection closed in the middle of
   * it, or the HTTP decoder could not read it (a bad chunk size, say). The client's fault: 400.
   */
  public static boolean isBrokenRequest(Throwable failure) {
    if (failure == null) {
      return false;
    }
    if (failure instanceof HttpClosedException) {
      return true;
    }
    StackTraceElement[] trace = failure.getStackTrace();
    for (int i = 0; i < Math.min(8, trace.length); i++) {
      if (trace[i].getClassName().startsWith("io.netty.handler.codec.")) {
        return true;
      }
    }
    return false;
  }

  /** A JSON body sent as a form (curl -d) is decoded as one by Netty, which has its own limits. */
  private static boolean isFormTooLarge(Throwable failure) {
    String type = failure.getClass().getName();
    return type.endsWith("TooLongFormFieldException") || type.endsWith("TooManyFormFieldsException");
  }

  static ErrorCode codeFor(int status) {
    return switch (status) {
      case 400 -> ErrorCode.INVALID_FIELD;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 409 -> ErrorCode.ROOM_FULL;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 429 -> ErrorCode.RATE_LIMITED;
      case 503 -> ErrorCode.UNAVAILABLE;
      default -> ErrorCode.INTERNAL;
    };
  }

  /** Writes a docs/protocol.md#errors error unless a response is already on its way. */
  public static void send(RoutingContext ctx, ErrorCode code, String message) {
    send(ctx, new ApiError(code, message));
  }

  /**
   * Writes {@code error} unless a response is already on its way: its status, its extra fields in
   * the error object, and {@code Retry-After} for 429 (the error's seconds) and 503 (1 s).
   */
  public static void send(RoutingContext ctx, ApiError error) {
    if (ctx.response().headWritten() || ctx.response().closed()) {
      return;
    }
    ErrorCode code = error.code();
    int status = code.status() == 0 ? 400 : code.status();
    if (code == ErrorCode.UNAVAILABLE || code == ErrorCode.RATE_LIMITED) {
      ctx.response().putHeader("Retry-After", Integer.toString(Math.max(1, error.retryAfterSec())));
    }
    JsonObject body = body(code, error.getMessage());
    error.details().forEach(body.getJsonObject("error")::put);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  public static JsonObject body(ErrorCode code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code.code()).put("message", message));
  }
}
