package io.relay.ingest;

import io.relay.model.ConversationId;
import io.relay.model.LuaScript;
import io.relay.model.MessageChange;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Pages of a user's conversations, most recent first, in one round trip
 * ({@code conversations-page.lua}, no log scans):
 * {@code {"conversations":[{"id","peer","room","last","unread","readUpTo"}…],"next":<cursor>|null}}.
 * The cursor is the position of the page's last conversation; pass it as {@code before}.
 */
final class ConversationList {

  private static final int FIELDS = 7;
  private static final Pattern CURSOR = Pattern.compile("[0-9]{1,20}");

  private final RedisGateway redis;

  ConversationList(RedisGateway redis) {
    this.redis = redis;
  }

  /** The {@code before} parameter: absent or empty → null (the newest page); a cursor → itself; else 400. */
  static String before(String before) {
    if (before == null || before.isEmpty()) {
      return null;
    }
    if (!CURSOR.matcher(before).matches()) {
      throw ApiError.invalidField("before must be the next of an earlier page");
    }
    return before;
  }

  Future<JsonObject> page(String uid, String before, int limit) {
    // One more than asked, to know whether an older page exists.
    return redis.eval(LuaScript.CONVERSATIONS_PAGE, List.of(RedisKeys.conversations(uid)),
            List.of(RedisKeys.user(uid), before == null ? "" : before, Integer.toString(limit + 1)))
        .map(reply -> page(reply, limit));
  }

  static JsonObject page(Response flat, int limit) {
    int found = flat.size() / FIELDS;
    JsonArray conversations = new JsonArray();
    String next = null;
    for (int i = 0; i < Math.min(found, limit); i++) {
      int at = i * FIELDS;
      conversations.add(conversation(flat.get(at).toString(), flat.get(at + 2).toString(),
          flat.get(at + 3).toString(), flat.get(at + 4).toString(), flat.get(at + 5).toLong()));
      next = cursor(flat.get(at + 1).toString());
    }
    return new JsonObject().put("conversations", conversations).put("next", found > limit ? next : null);
  }

  static JsonObject conversation(String id, String last, String lastState, String readUpTo, long unread) {
    ConversationId parsed = ConversationId.parse(id);
    return new JsonObject()
        .put("id", id)
        .put("peer", parsed == null ? null : parsed.peer())
        .put("room", parsed == null ? null : parsed.room())
        .put("last", last.isEmpty() ? null : MessageChange.apply(new JsonObject(last), lastState))
        .put("unread", unread)
        .put("readUpTo", readUpTo.isEmpty() ? null : readUpTo);
  }

  /** A score as Redis prints it ("1732300000000005", or in exponent form) → its integer digits. */
  static String cursor(String score) {
    return new BigDecimal(score).toBigInteger().toString();
  }
}
