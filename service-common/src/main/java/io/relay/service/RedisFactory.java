package io.relay.service;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/** Builds Redis clients whose every wait is bounded by {@code RELAY_REDIS_TIMEOUT_MS}. */
public final class RedisFactory {

  private RedisFactory() {
  }

  /** Options for what {@code REDIS_URL} says ({@link RedisMode#fromUrl}): a seed list is a cluster. */
  public static RedisOptions options(SharedConfig config) {
    return options(config, RedisMode.fromUrl(config.redisUrl()));
  }

  /**
   * Options for {@code mode}: one server, or a cluster reached through its seed nodes (the client
   * reads the slot map from them and routes each command by its keys' hash slot).
   */
  public static RedisOptions options(SharedConfig config, RedisMode mode) {
    RedisOptions options = new RedisOptions()
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(8192)
        .setPoolRecycleTimeout(15_000)
        .setNetClientOptions(netOptions(config));
    if (mode.cluster()) {
      options.setType(RedisClientType.CLUSTER);
      mode.endpoints().forEach(options::addConnectionString);
    } else {
      options.setConnectionString(mode.endpoints().get(0));
    }
    return options;
  }

  static NetClientOptions netOptions(SharedConfig config) {
    return new NetClientOptions()
        .setConnectTimeout(config.redisTimeoutMs())
        .setTcpKeepAlive(true)
        .setTcpNoDelay(true);
  }

  /** A pooled client for ordinary commands. */
  public static Redis pooled(Vertx vertx, SharedConfig config) {
    return Redis.createClient(vertx, options(config));
  }

  /** A pooled client for ordinary commands on a Redis in {@code mode}. */
  public static Redis pooled(Vertx vertx, SharedConfig config, RedisMode mode) {
    return Redis.createClient(vertx, options(config, mode));
  }
}
