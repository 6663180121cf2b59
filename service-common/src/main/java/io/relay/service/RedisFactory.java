package io.relay.service;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Builds Redis clients whose every wait is bounded by {@code RELAY_REDIS_TIMEOUT_MS}. */
public final class RedisFactory {

  private RedisFactory() {
  }

  public static RedisOptions options(SharedConfig config) {
    return new RedisOptions()
        .setConnectionString(config.redisUrl())
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(8192)
        .setPoolRecycleTimeout(15_000)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout(config.redisTimeoutMs())
            .setTcpKeepAlive(true)
            .setTcpNoDelay(true));
  }

  /** A pooled client for ordinary commands. */
  public static Redis pooled(Vertx vertx, SharedConfig config) {
    return Redis.createClient(vertx, options(config));
  }
}
