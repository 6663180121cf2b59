package io.relay.service;

import io.micrometer.core.instrument.Counter;
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

  /** A pooled client for {@code config}, bounded by its Redis timeout, counting failures in {@code metrics}. */
  public static RedisGateway create(Vertx vertx, SharedConfig config, RelayMetrics metrics) {
    return new RedisGateway(RedisFactory.pooled(vertx, config), config.redisTimeoutMs(), metrics.redisErrors);
  }

  public RedisGateway(Redis redis, long timeoutMs, Counter errors) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
    this.errors = errors;
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
    return call.timeout(timeoutMs, TimeUnit.MILLISECONDS).recover(this::unavailable);
  }

  private <T> Future<T> unavailable(Throwable cause) {
    errors.increment();
    LOG.warn("redis call failed: {}", cause.toString());
    return Future.failedFuture(ApiError.unavailable("storage unavailable, retry later"));
  }

  public Redis client() {
    return redis;
  }

  public Future<Void> close() {
    redis.close();
    return Future.succeededFuture();
  }
}
