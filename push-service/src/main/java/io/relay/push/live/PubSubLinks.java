package io.relay.push.live;

import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * The pub/sub link for the Redis in use: with sharded pub/sub (a cluster of Redis 7 or later), a
 * subscriber connection per primary ({@link ShardedPubSubLink}); else one plain subscriber
 * connection ({@link RedisPubSubLink}): to the one Redis, or on an older cluster, which broadcasts
 * every {@code PUBLISH} to all its nodes, to the first seed.
 */
public final class PubSubLinks {

  private PubSubLinks() {
  }

  public static PubSubLink create(Vertx vertx, RedisOptions options, boolean sharded) {
    if (sharded) {
      return new ShardedPubSubLink(vertx, options);
    }
    return new RedisPubSubLink(vertx, new RedisOptions(options).setType(RedisClientType.STANDALONE));
  }
}
