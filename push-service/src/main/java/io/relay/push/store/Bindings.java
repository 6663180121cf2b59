package io.relay.push.store;

import io.relay.model.RedisKeys;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * The user → connection bindings in Redis, read by presence and by the room scripts, which route
 * a room entry to the nodes named in its members' bindings. Each binding is its own key with a
 * TTL of 2×heartbeat, refreshed every heartbeat, so a node that dies leaves nothing behind for
 * longer than that; the per-user set indexes them.
 */
public final class Bindings {

  private final RedisGateway redis;
  private final String nodeId;
  private final long ttlMillis;

  public Bindings(RedisGateway redis, String nodeId, long ttlMillis) {
    this.redis = redis;
    this.nodeId = nodeId;
    this.ttlMillis = ttlMillis;
  }

  public Future<Void> bind(String uid, String connectionId, String transport, long since) {
    String value = new JsonObject().put("node", nodeId).put("id", connectionId).put("transport", transport)
        .put("since", since).encode();
    return redis.batch(List.of(
        Request.cmd(Command.SET).arg(RedisKeys.binding(uid, connectionId)).arg(value).arg("PX").arg(ttlMillis),
        Request.cmd(Command.SADD).arg(RedisKeys.bindings(uid)).arg(connectionId),
        Request.cmd(Command.PEXPIRE).arg(RedisKeys.bindings(uid)).arg(ttlMillis))).mapEmpty();
  }

  /**
   * Extends the binding's life; completes with false when the binding or the set had already
   * expired (a refresh that failed or came late): the caller must bind again, and entries routed
   * by the bindings meanwhile went elsewhere or nowhere.
   */
  public Future<Boolean> refresh(String uid, String connectionId) {
    return redis.batch(List.of(
        Request.cmd(Command.PEXPIRE).arg(RedisKeys.binding(uid, connectionId)).arg(ttlMillis),
        Request.cmd(Command.PEXPIRE).arg(RedisKeys.bindings(uid)).arg(ttlMillis)))
        .map(replies -> replies.stream().allMatch(reply -> reply != null && reply.toInteger() == 1));
  }

  /** How long a binding lives without a refresh. */
  public long ttlMillis() {
    return ttlMillis;
  }

  public Future<Void> unbind(String uid, String connectionId) {
    return redis.batch(List.of(
        Request.cmd(Command.DEL).arg(RedisKeys.binding(uid, connectionId)),
        Request.cmd(Command.SREM).arg(RedisKeys.bindings(uid)).arg(connectionId))).mapEmpty();
  }
}
