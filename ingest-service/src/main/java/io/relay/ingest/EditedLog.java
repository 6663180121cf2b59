package io.relay.ingest;

import io.relay.model.LogEntry;
import io.relay.model.LuaScript;
import io.relay.model.MessageChange;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pages of a user's own log as history shows them: each message with its current body, or
 * {@code "recalled":true} and no body ({@code log-page.lua}: the range and the edit states in one
 * round trip). See docs/conversations.md.
 */
final class EditedLog {

  private final RedisGateway redis;

  EditedLog(RedisGateway redis) {
    this.redis = redis;
  }

  /** Up to {@code limit} entries strictly after {@code after}, oldest first. */
  Future<List<LogEntry>> after(String uid, Seq after, int limit) {
    List<String> keys = List.of(RedisKeys.log(uid), RedisKeys.edits(uid));
    List<String> args = List.of("XRANGE", "(" + after, "+", Integer.toString(limit));
    return redis.eval(LuaScript.LOG_PAGE, keys, args).map(EditedLog::entries);
  }

  private static List<LogEntry> entries(Response reply) {
    Response range = reply.get(0);
    Response states = reply.get(1);
    List<LogEntry> entries = new ArrayList<>(range.size());
    for (int i = 0; i < range.size(); i++) {
      Response item = range.get(i);
      entries.add(new LogEntry(Seq.parse(item.get(0).toString()),
          current(fieldValue(item.get(1), "m"), states.get(i).toString())));
    }
    return entries;
  }

  /** A stored entry's JSON with its edit state applied ('' = unchanged: the JSON as stored). */
  static String current(String json, String state) {
    return state.isEmpty() ? json : MessageChange.apply(new JsonObject(json), state).encode();
  }

  static String fieldValue(Response fields, String name) {
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    throw new IllegalStateException("stream entry without field " + name);
  }
}
