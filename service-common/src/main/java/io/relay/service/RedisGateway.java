package io.relay.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.relay.model.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every command a service sends through the pooled client goes through here: bounded by the
 * Redis timeout, counted when it fails, and failed with {@code 503 unavailable} so no caller
 * waits for a Redis that is gone.
 */
public final class RedisGateway {

  private static final Logger LOG = LoggerFactory.getLogger(RedisGateway.class);
  /** How often the offset between this node's clock and Redis's is measured again. */
  static final long CLOCK_SYNC_INTERVAL_MS = 30_000;

  private final Redis redis;
  private final long timeoutMs;
  private final Counter errors;
  private final RedisClock clock;
  private final Timer latency;

  /**
   * A pooled client for {@code config}, bounded by its Redis timeout, timing every call and
   * counting failures in {@code metrics}.
   */
  public static RedisGateway create(Vertx vertx, SharedConfig config, RelayMetrics metrics) {
    return create(vertx, config, metrics, System::currentTimeMillis);
  }

  /**
   * The same with this node's clock given ({@code nodeClock}, Unix ms; tests skew it). Measures
   * the offset to Redis's clock now and every {@link #CLOCK_SYNC_INTERVAL_MS} (see {@link #storeDeadline}).
   */
  public static RedisGateway create(Vertx vertx, SharedConfig config, RelayMetrics metrics, LongSupplier nodeClock) {
    return create(vertx, config, metrics, clock(config, nodeClock));
  }

  /**
   * A pooled client of its own (on the calling event loop) sharing {@code clock} with the process's
   * other event loops; the first gateway built with a clock keeps it synced.
   */
  public static RedisGateway create(Vertx vertx, SharedConfig config, RelayMetrics metrics, RedisClock clock) {
    RedisGateway gateway = new RedisGateway(RedisFactory.pooled(vertx, config), config.redisTimeoutMs(),
        metrics.redisErrors, metrics.redisLatency, clock);
    if (clock.claimSyncing()) {
      vertx.setPeriodic(CLOCK_SYNC_INTERVAL_MS, id -> gateway.syncClock());
    }
    return gateway;
  }

  /** A clock for gateways using {@code config}'s timeout: samples slower than a quarter of it are ignored. */
  public static RedisClock clock(SharedConfig config, LongSupplier nodeClock) {
    return new RedisClock(nodeClock, config.redisTimeoutMs() / 4);
  }

  public RedisGateway(Redis redis, long timeoutMs, Counter errors) {
    this(redis, timeoutMs, errors, null, new RedisClock(System::currentTimeMillis, timeoutMs / 4));
  }

  /** {@code latency} may be null: calls are then not timed. */
  private RedisGateway(Redis redis, long timeoutMs, Counter errors, Timer latency, RedisClock clock) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
    this.errors = errors;
    this.latency = latency;
    this.clock = clock;
  }

  /** Measures the offset between this node's clock and Redis's again; never fails. */
  public Future<Void> syncClock() {
    return clock.sync(redis);
  }

  /**
   * The moment, on Redis's clock (Unix ms), after which a storing script started now must refuse
   * to store ({@code is_late} in {@code log-append.lua}): half the Redis timeout from now. The
   * other half is left for the reply; a reply later than that (a slow fsync, a pause) is answered
   * 503 although stored, which is why every send carries an idempotency key the client can retry
   * with (docs/reliability.md). Taken from Redis's clock as estimated by {@link RedisClock}, so a
   * skew between this node and Redis neither refuses every write nor lets a late one through.
   */
  public long storeDeadline() {
    return clock.now() + timeoutMs / 2;
  }

  public Future<Response> send(Request request) {
    return bounded(redis.send(request));
  }

  /** Sends the commands in one write, in order (not a transaction). */
  public Future<List<Response>> batch(List<Request> requests) {
    return bounded(redis.batch(requests));
  }

  /** Runs a script by its SHA-1, loading it with EVAL the first time a server lacks it. */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    Future<Response> bySha = redis.send(scriptRequest(Command.EVALSHA, script.sha1(), keys, args));
    return bounded(bySha.recover(e -> isNoScript(e)
        ? redis.send(scriptRequest(Command.EVAL, script.source(), keys, args))
        : Future.failedFuture(e)));
  }

  private static Request scriptRequest(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  private <T> Future<T> bounded(Future<T> call) {
    Future<T> timed = call.timeout(timeoutMs, TimeUnit.MILLISECONDS);
    if (latency != null) {
      long started = System.nanoTime();
      timed = timed.andThen(done -> latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }
    return timed.recover(this::unavailable);
  }

  private <T> Future<T> unavailable(Throwable cause) {
    errors.increment();
    LOG.warn("redis call failed: {}", cause.toString());
    return Future.failedFuture(ApiError.unavailable("storage unavailable, retry later"));
  }

  /** The longest wait for one call, in milliseconds ({@code RELAY_REDIS_TIMEOUT_MS}). */
  public long timeoutMs() {
    return timeoutMs;
  }

  public Redis client() {
    return redis;
  }

  public Future<Void> close() {
    redis.close();
    return Future.succeededFuture();
  }
}
