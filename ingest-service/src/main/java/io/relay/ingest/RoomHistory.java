package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Pages of a room's history (docs/rooms-presence.md), for members and backends:
 * {@code {"messages":[oldest … newest],"next":"<id to pass as before>"|null}}. A page holds the
 * {@code limit} newest messages before the message {@code before}, fewer when they would exceed
 * the page's byte budget ({@link Pages}); {@code next} is null when there is nothing older. One
 * round trip ({@code room-history.lua}).
 */
final class RoomHistory {

  private final RedisGateway redis;

  RoomHistory(RedisGateway redis) {
    this.redis = redis;
  }

  /**
   * @param caller the reading user, or null for a backend
   * @param before a message id, or null for the newest page
   */
  Future<JsonObject> page(String room, String caller, String before, int limit) {
    List<String> keys = List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room), RedisKeys.roomHistory(room),
        RedisKeys.roomIds(room), RedisKeys.roomEdits(room));
    // One more than asked, to know whether an older page exists.
    List<String> args = List.of(caller == null ? "" : caller, before == null ? "" : before,
        Integer.toString(limit + 1));
    return redis.eval(LuaScript.ROOM_HISTORY, keys, args).compose(reply -> switch (reply.get(0).toString()) {
      case "ok" -> Future.succeededFuture(page(reply.get(1), reply.get(2), limit));
      case "not_member" -> Future.failedFuture(new ApiError(ErrorCode.NOT_MEMBER,
          "you are not a member of room " + room));
      case "bad_before" -> Future.failedFuture(ApiError.invalidField(
          "before is not the id of a message in this room's history"));
      default -> Future.failedFuture(RoomStore.noSuchRoom(room));
    });
  }

  /** {@code states}: the edit state of each entry ('' when unchanged), applied to what the page shows. */
  private static JsonObject page(Response newestFirst, Response states, int limit) {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, newestFirst.size()); i++) {
      entries.add(EditedLog.current(EditedLog.fieldValue(newestFirst.get(i).get(1), "m"), states.get(i).toString()));
    }
    List<JsonObject> messages = new ArrayList<>();
    entries.subList(0, Pages.fitting(entries, String::length)).forEach(json -> messages.add(new JsonObject(json)));
    Collections.reverse(messages);
    String next = newestFirst.size() > messages.size() ? messages.get(0).getString("id") : null;
    return new JsonObject().put("messages", new JsonArray(new ArrayList<>(messages))).put("next", next);
  }
}
