package io.relay.push.live;

import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisOptions;

/** The pub/sub link for the Redis in use: sharded pub/sub per primary on a cluster, plain pub/sub on one Redis. */
public final class PubSubLinks {

  private PubSubLinks() {
  }

  public static PubSubLink create(Vertx vertx, RedisOptions options, boolean cluster) {
    return cluster ? new ShardedPubSubLink(vertx, options) : new RedisPubSubLink(vertx, options);
  }
}
