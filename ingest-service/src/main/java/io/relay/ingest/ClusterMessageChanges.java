package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.LuaScript;
import io.relay.model.MessageChange;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.RateLimit;
import io.relay.service.RedisGateway;
import io.relay.service.ScriptCall;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits and recalls on a Redis Cluster: the caller's token in its own slot; the checks in the
 * locator's slot ({@code cluster-change-locate.lua}); for a room message the history's state and
 * the member list in the room's slot; then every log that holds the message, one single-slot
 * script each, pipelined per primary (a log already in the new state is left alone, so a retry
 * after a 503 completes the change without repeating it); room entries published once per push
 * node; last, a recall is marked on the locator.
 */
final class ClusterMessageChanges {

  private final RedisGateway redis;
  private final SharedConfig config;
  private final ClusterLogs logs;
  private final long editWindowMs;

  ClusterMessageChanges(RedisGateway redis, SharedConfig config, ClusterLogs logs, long editWindowMs) {
    this.redis = redis;
    this.config = config;
    this.logs = logs;
    this.editWindowMs = editWindowMs;
  }

  /** As {@link MessageChanges#apply}. */
  Future<Integer> apply(MessageChange change, String caller, RateLimit limit) {
    String locator = RedisKeys.messageLocator(change.messageId());
    return logs.takeToken(limit)
        .compose(v -> redis.eval(LuaScript.CLUSTER_CHANGE_LOCATE, List.of(locator), List.of(
            change.recall() ? "recall" : "edit", caller == null ? "" : caller, Long.toString(redis.storeDeadline()),
            Long.toString(editWindowMs))))
        .compose(reply -> switch (reply.get(0).toString()) {
          case "ok" -> change(change, reply.get(2).toString(), reply.get(3).toString(), reply.get(4).toString())
              .compose(written -> !change.recall() ? Future.succeededFuture(written)
                  : redis.eval(LuaScript.CLUSTER_SET, List.of(locator), List.of(reply.get(1).toString() + "\tr", ""))
                      .map(written));
          case "late" -> Future.failedFuture(SendReservations.late());
          case "forbidden" -> Future.failedFuture(ApiError.forbidden("only the sender may change this message"));
          case "too_late" -> Future.failedFuture(ApiError.forbidden(
              "the edit window of this message has passed (" + editWindowMs / 1000 + " s)"));
          default -> Future.failedFuture(new ApiError(ErrorCode.NOT_FOUND,
              "no message " + change.messageId() + " to change (unknown, expired or recalled)"));
        });
  }

  private Future<Integer> change(MessageChange change, String from, String to, String room) {
    if (room.isEmpty()) {
      List<String> users = from.isEmpty() || from.equals(to) ? List.of(to) : List.of(to, from);
      return changeLogs(change, users);
    }
    List<String> keys = List.of(RedisKeys.roomIds(room), RedisKeys.roomEdits(room), RedisKeys.roomMembers(room));
    return redis.store(LuaScript.CLUSTER_CHANGE_ROOM, keys,
            List.of(Long.toString(redis.storeDeadline()), change.messageId(), change.state()))
        .compose(reply -> "late".equals(reply.get(0).toString()) ? Future.failedFuture(SendReservations.late())
            // On the members' own channels too, in order with their other entries (see ClusterRoomMessages).
            : changeLogs(change, ClusterRoomMessages.rest(reply)));
  }

  /** Changes each user's log, publishing the change on that user's channel. */
  private Future<Integer> changeLogs(MessageChange change, List<String> users) {
    String json = change.toJson();
    List<ScriptCall> calls = new ArrayList<>();
    for (String uid : users) {
      calls.add(new ScriptCall(LuaScript.CLUSTER_CHANGE_LOG,
          List.of(RedisKeys.log(uid), RedisKeys.trimmed(uid), RedisKeys.messageIds(uid)),
          List.of(Long.toString(redis.storeDeadline()), change.messageId(), change.state(), change.recall() ? "1" : "0",
              json, Integer.toString(config.retentionCount()), Long.toString(config.retentionMillis()),
              RedisKeys.liveChannel(uid))));
    }
    return redis.storeAll(calls).compose(replies -> {
      int written = 0;
      for (Response reply : replies) {
        switch (reply.get(0).toString()) {
          case "late" -> {
            return Future.failedFuture(SendReservations.late());
          }
          case "ok" -> written++;
          default -> {
            // not in this log (retention took it, or a member who joined later), or changed already
          }
        }
      }
      return Future.succeededFuture(written);
    });
  }
}
