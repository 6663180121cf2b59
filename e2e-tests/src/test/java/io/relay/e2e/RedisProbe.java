package io.relay.e2e;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Reads and pokes a test's Redis directly, to check what the services left there. */
final class RedisProbe implements AutoCloseable {

  private final Redis redis;

  RedisProbe(Vertx vertx, String url) {
    this.redis = Redis.createClient(vertx, url);
  }

  Response send(Command command, Object... args) {
    Request request = Request.cmd(command);
    for (Object arg : args) {
      request.arg(arg.toString());
    }
    return redis.send(request).await();
  }

  boolean exists(String key) {
    return send(Command.EXISTS, key).toInteger() == 1;
  }

  long setSize(String key) {
    return send(Command.SCARD, key).toLong();
  }

  /** Drops this Redis's pub/sub connections, as a network blip or a failover would. */
  long killPubSubConnections() {
    return send(Command.CLIENT, "KILL", "TYPE", "pubsub").toLong();
  }

  @Override
  public void close() {
    redis.close();
  }
}
