package io.relay.service;

import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds{method,status,route}}: every HTTP request a service answers,
 * timed from its arrival to the end of its response, labelled by the route pattern that handled it
 * ({@code /v1/rooms/:id}), never the raw path or query (ids and tokens would make unbounded labels,
 * and tokens must not leave the process); see {@link #route}. WebSocket upgrades (101) are not timed: an open socket is
 * counted in {@code relay_connections}. A held long-poll or SSE stream is timed for as long as it is held.
 */
final class HttpServerMetrics {

  private static final String UNMATCHED = "unmatched";

  private final RelayMetrics metrics;
  /**
   * The timer of each series seen: building and registering one (tags merged, id hashed, registry
   * looked up) on every request cost more than the request's own routing. As many entries as the
   * registry has series.
   */
  private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

  /** One series of the timer: its labels. */
  private record Series(String method, int status, String route) {
  }

  HttpServerMetrics(RelayMetrics metrics) {
    this.metrics = metrics;
  }

  /** Runs before every other route of {@code router}. */
  void mount(Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::time);
  }

  private void time(RoutingContext ctx) {
    long started = System.nanoTime();
    // The response's own end handler, not ctx.addEndHandler: that one also hooks the request's
    // failure path, and a request the HTTP decoder broke (a bad chunk size) then went unanswered.
    ctx.response().endHandler(done -> {
      int status = ctx.response().getStatusCode();
      if (status != 101) {
        timers.computeIfAbsent(new Series(ctx.request().method().name(), status, route(ctx, status)), this::timer)
            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
    });
    ctx.next();
  }

  private Timer timer(Series series) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests answered, by method, status and route pattern")
        .tag("method", series.method())
        .tag("status", Integer.toString(series.status()))
        .tag("route", series.route())
        .publishPercentileHistogram()
        .register(metrics.registry());
  }

  /**
   * The pattern of the route that answered. A request failed by a handler (401, 413, …) is answered
   * by the router's error handler, which has no pattern: it is labelled by its path's first two
   * segments ({@code /v1/rooms/*}), which only real routes reach. Anything else that matched no
   * route is {@code unmatched}, so scanners' paths cannot multiply the series.
   */
  static String route(RoutingContext ctx, int status) {
    Route route = ctx.currentRoute();
    String pattern = route == null ? null : route.getPath();
    if (pattern != null) {
      return pattern;
    }
    return status == 404 ? UNMATCHED : prefix(ctx.request().path());
  }

  /** {@code /v1/rooms/r1/members/a} → {@code /v1/rooms/*}; {@code /v1/messages} stays as it is. */
  static String prefix(String path) {
    String[] segments = path.split("/", 4);
    return segments.length <= 3 ? path : "/" + segments[1] + "/" + segments[2] + "/*";
  }
}
