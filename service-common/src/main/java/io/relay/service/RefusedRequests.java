package io.relay.service;

import io.relay.model.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What happens to a request refused before its body was read (401 before the body, 413 for a
 * declared length over the limit, 429): the answer is made the connection's last and what is
 * still coming is thrown away without keeping it, for at most {@link #DISCARD_MS}, then the
 * connection is closed. (Closing at once, with unread data, would reset the connection and the
 * client might never see the answer.) Also counts 429s in {@code relay.rate.limited}.
 */
public final class RefusedRequests {

  /** How long the rest of a refused request's body is thrown away before its connection is closed. */
  public static final long DISCARD_MS = 2000;

  private RefusedRequests() {
  }

  /** Mounts the step in front of the error renderer: call before {@link ErrorRenderer#install}. */
  public static void mount(Router router, RelayMetrics metrics) {
    router.route().failureHandler(ctx -> beforeAnswering(ctx, metrics));
  }

  private static void beforeAnswering(RoutingContext ctx, RelayMetrics metrics) {
    if (ctx.failure() instanceof ApiError error && error.code() == ErrorCode.RATE_LIMITED) {
      metrics.rateLimited.increment();
    }
    if (!ctx.request().isEnded()) {
      ctx.response().putHeader("Connection", "close");
      // A request broken on the wire has nothing more worth reading: close once answered.
      ctx.addEndHandler(answered -> {
        if (ErrorRenderer.isBrokenRequest(ctx.failure())) {
          ctx.request().connection().close();
        } else {
          discardRest(ctx.vertx(), ctx.request());
        }
      });
    }
    ctx.next();
  }

  /** Once the answer is out: reads and drops the rest of the request, closing if it takes too long. */
  private static void discardRest(Vertx vertx, HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    long timer = vertx.setTimer(DISCARD_MS, id -> request.connection().close());
    request.handler(ignored -> { });
    request.endHandler(end -> vertx.cancelTimer(timer));
    request.resume();
  }
}
