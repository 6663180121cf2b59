package io.relay.service;

import io.relay.model.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}, the same on both services
 * (docs/operations.md#metrics lists the meters), and the HTTP request meters of every route.
 * Given a {@link #probeClient} of its own, readiness reflects whether Redis answers this node,
 * not how long the node's busy pool makes a call wait (a reconnect storm fills that queue).
 */
public final class OpsRoutes {

  /** Probes queued for the probe connection at most (orchestrators probe every few seconds). */
  private static final int PROBES_WAITING = 64;

  private final RedisGateway redis;
  private final RelayMetrics metrics;
  private final String nodeId;
  private final RedisStateGauges redisState;

  public OpsRoutes(RedisGateway redis, RelayMetrics metrics, String nodeId) {
    this.redis = redis;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.redisState = new RedisStateGauges(redis.client(), redis.timeoutMs(), metrics);
  }

  /**
   * A client with one Redis connection of its own, for the probes: the services' pooled client
   * may have thousands of calls queued in a reconnect storm, and a probe behind them would time
   * out although Redis and the node are fine. Close it when the service stops.
   */
  public static RedisGateway probeClient(Vertx vertx, SharedConfig config, RelayMetrics metrics, RedisMode mode) {
    Redis client = Redis.createClient(vertx,
        RedisFactory.options(config, mode).setMaxPoolSize(1).setMaxPoolWaiting(PROBES_WAITING));
    return new RedisGateway(client, config.redisTimeoutMs(), metrics.redisErrors);
  }

  public void mount(Router router) {
    new HttpServerMetrics(metrics).mount(router);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
  }

  private void live(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "up").put("node", nodeId));
  }

  /** Ready means Redis answers and accepts a write (a full disk or a replica refuses it). */
  private void ready(RoutingContext ctx) {
    redis.send(Request.cmd(Command.SET).arg("relay:health:" + nodeId).arg("1").arg("PX").arg(10_000))
        .onSuccess(ok -> ctx.json(new JsonObject().put("status", "ready").put("node", nodeId)))
        .onFailure(e -> ErrorRenderer.send(ctx, ErrorCode.UNAVAILABLE, "redis not reachable or refusing writes"));
  }

  /** Relay's and HTTP meters (with Redis's state checked just now), then the process's JVM meters. */
  private void metrics(RoutingContext ctx) {
    redisState.refresh().onComplete(checked -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape() + RuntimeMetrics.scrape()));
  }
}
