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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every command a service sends through the pooled client goes through here: bounded by the
 * Redis timeout, counted when it fails, and failed with {@code 503 unavailable} so no caller
 * waits for a Redis that is gone.
 */
public final class RedisGateway {

  private static final Logger LOG = LoggerFactory.getLogger(RedisGateway.class);

  private final Redis redis;
  private final long timeoutMs;
  private final Counter errors;
  private final Timer latency;

  /**
   * A pooled client for {@code config}, bounded by its Redis timeout, timing every call and
   * counting failures in {@code metrics}.
   */
  public static RedisGateway create(Vertx vertx, SharedConfig config, RelayMetrics metrics) {
    return new RedisGateway(RedisFactory.pooled(vertx, config), config.redisTimeoutMs(), metrics.redisErrors,
        metrics.redisLatency);
  }

  public RedisGateway(Redis redis, long timeoutMs, Counter errors) {
    this(redis, timeoutMs, errors, null);
  }

  /** {@code latency} may be null: calls are then not timed. */
  public RedisGateway(Redis redis, long timeoutMs, Counter errors, Timer latency) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
    this.errors = errors;
    this.latency = latency;
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
