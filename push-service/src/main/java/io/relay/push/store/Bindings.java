package io.relay.push.store;

import io.relay.model.Ids;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The user → connection bindings in Redis, read by presence and by the room scripts, which route
 * a room entry to the nodes named in its members' bindings. Each binding is its own key with a
 * TTL of 2×heartbeat, refreshed every heartbeat, so a node that dies leaves nothing behind for
 * longer than that; the per-user set indexes them, and its size (less ids whose key expired) is
 * what the per-user connection limit counts. Beside them the per-user routes hash (connection id →
 * node, same TTL) is what the room scripts read to route entries, one command per member.
 */
public final class Bindings {

  /** One connection's binding. */
  public record Ref(String uid, String connectionId) {
  }

  private final RedisGateway redis;
  private final String nodeId;
  private final long ttlMillis;
  /** {@code {"node":"<this node>"}} without its closing brace. */
  private final String valueStart;

  public Bindings(RedisGateway redis, String nodeId, long ttlMillis) {
    this.redis = redis;
    this.nodeId = nodeId;
    this.ttlMillis = ttlMillis;
    String node = new JsonObject().put("node", nodeId).encode();
    this.valueStart = node.substring(0, node.length() - 1);
  }

  /**
   * The binding's JSON value, {@code {"node":…,"id":…,"transport":…,"since":…}}: this node's part
   * encoded once, the rest concatenated (a connection id and a transport name have no character
   * JSON would escape), since every connection writes one.
   */
  String value(String connectionId, String transport, long since) {
    if (!Ids.isValidName(connectionId) || !Ids.isValidName(transport)) {
      return new JsonObject().put("node", nodeId).put("id", connectionId).put("transport", transport)
          .put("since", since).encode();
    }
    return valueStart + ",\"id\":\"" + connectionId + "\",\"transport\":\"" + transport + "\",\"since\":" + since + "}";
  }

  /**
   * What a bind found: whether it was admitted and, when asked for, the device's cursor
   * ({@link Seq#ZERO} when the device never acked; null when not asked for or not admitted).
   */
  public record Admission(boolean admitted, Seq cursor) {
  }

  /**
   * Writes the binding in one round trip if the user has fewer than {@code limit} other
   * connections bound (0: no limit), writing nothing if not; reads in that round trip the cursor
   * of {@code cursorDevice} (null: none), where a connection that gave no {@code since} resumes.
   * See {@code bind-connection.lua}.
   */
  public Future<Admission> bind(String uid, String connectionId, String transport, long since, int limit,
      String cursorDevice) {
    String value = value(connectionId, transport, since);
    return redis.eval(LuaScript.BIND_CONNECTION,
            List.of(RedisKeys.bindings(uid), RedisKeys.binding(uid, connectionId), RedisKeys.routes(uid),
                RedisKeys.cursors(uid)),
            List.of(connectionId, value, Long.toString(ttlMillis), Integer.toString(limit), RedisKeys.binding(uid, ""),
                nodeId, cursorDevice == null ? "" : cursorDevice))
        .map(reply -> admission(reply, cursorDevice != null));
  }

  private static Admission admission(Response reply, boolean cursorAsked) {
    if (reply == null || reply.get(0).toInteger() != 1) {
      return new Admission(false, null);
    }
    if (!cursorAsked) {
      return new Admission(true, null);
    }
    Response cursor = reply.size() > 1 ? reply.get(1) : null;
    return new Admission(true, cursor == null ? Seq.ZERO : Seq.parse(cursor.toString()));
  }

  /**
   * Extends the binding's life; completes with false when the binding, the set or the routes had
   * already expired (a refresh that failed or came late): the caller must bind again, and entries
   * routed by the bindings meanwhile went elsewhere or nowhere.
   */
  public Future<Boolean> refresh(String uid, String connectionId) {
    return redis.batch(List.of(
        Request.cmd(Command.PEXPIRE).arg(RedisKeys.binding(uid, connectionId)).arg(ttlMillis),
        Request.cmd(Command.PEXPIRE).arg(RedisKeys.bindings(uid)).arg(ttlMillis),
        Request.cmd(Command.PEXPIRE).arg(RedisKeys.routes(uid)).arg(ttlMillis)))
        .map(replies -> replies.stream().allMatch(reply -> reply != null && reply.toInteger() == 1));
  }

  /** How long a binding lives without a refresh. */
  public long ttlMillis() {
    return ttlMillis;
  }

  public Future<Void> unbind(String uid, String connectionId) {
    return unbindAll(List.of(new Ref(uid, connectionId)));
  }

  /** Removes many bindings in one write (connections that closed together). */
  public Future<Void> unbindAll(List<Ref> refs) {
    List<Request> requests = new ArrayList<>(refs.size() * 3);
    for (Ref ref : refs) {
      requests.add(Request.cmd(Command.DEL).arg(RedisKeys.binding(ref.uid(), ref.connectionId())));
      requests.add(Request.cmd(Command.SREM).arg(RedisKeys.bindings(ref.uid())).arg(ref.connectionId()));
      requests.add(Request.cmd(Command.HDEL).arg(RedisKeys.routes(ref.uid())).arg(ref.connectionId()));
    }
    return redis.batch(requests).mapEmpty();
  }
}
