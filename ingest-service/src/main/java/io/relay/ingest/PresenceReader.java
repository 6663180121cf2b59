package io.relay.ingest;

import io.relay.model.RedisKeys;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Presence (docs/rooms-presence.md) read from the push nodes' bindings: each user's binding set, then the binding keys
 * it names. A binding key expires 2×heartbeat after its node last refreshed it, so a crashed
 * node's connections drop out on their own; set members whose key is gone are removed on the way.
 * Two pipelined round trips for any number of users.
 */
final class PresenceReader {

  private final RedisGateway redis;

  PresenceReader(RedisGateway redis) {
    this.redis = redis;
  }

  /** One {@code {"uid","online","connections":[{node,id,transport,since}]}} per uid, in order. */
  Future<List<JsonObject>> read(List<String> uids) {
    List<Request> sets = uids.stream().map(uid -> Request.cmd(Command.SMEMBERS).arg(RedisKeys.bindings(uid))).toList();
    return redis.batch(sets).compose(replies -> {
      List<List<String>> ids = new ArrayList<>();
      replies.forEach(reply -> ids.add(strings(reply)));
      return bindings(uids, ids);
    });
  }

  private Future<List<JsonObject>> bindings(List<String> uids, List<List<String>> ids) {
    List<Request> gets = new ArrayList<>();
    for (int i = 0; i < uids.size(); i++) {
      for (String id : ids.get(i)) {
        gets.add(Request.cmd(Command.GET).arg(RedisKeys.binding(uids.get(i), id)));
      }
    }
    Future<List<Response>> values = gets.isEmpty() ? Future.succeededFuture(List.of()) : redis.batch(gets);
    return values.map(replies -> {
      List<JsonObject> presence = new ArrayList<>();
      List<Request> stale = new ArrayList<>();
      int next = 0;
      for (int i = 0; i < uids.size(); i++) {
        JsonArray connections = new JsonArray();
        List<JsonObject> found = new ArrayList<>();
        for (String id : ids.get(i)) {
          Response value = replies.get(next++);
          if (value == null) {
            stale.add(Request.cmd(Command.SREM).arg(RedisKeys.bindings(uids.get(i))).arg(id));
          } else {
            found.add(new JsonObject(value.toString()));
          }
        }
        found.sort(Comparator.comparingLong(binding -> binding.getLong("since", 0L)));
        found.forEach(connections::add);
        presence.add(new JsonObject().put("uid", uids.get(i)).put("online", !found.isEmpty())
            .put("connections", connections));
      }
      forget(stale);
      return presence;
    });
  }

  /** Drops set members whose binding expired: connection ids are never reused, so this is safe. */
  private void forget(List<Request> stale) {
    if (!stale.isEmpty()) {
      redis.batch(stale);
    }
  }

  private static List<String> strings(Response reply) {
    List<String> values = new ArrayList<>();
    if (reply != null) {
      reply.forEach(value -> values.add(value.toString()));
    }
    return values;
  }
}
