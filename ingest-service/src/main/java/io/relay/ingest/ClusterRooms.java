package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.LuaScript;
import io.relay.model.MemberEvent;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.RateLimit;
import io.relay.service.RedisGateway;
import io.relay.service.ScriptCall;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Room creation and member changes on a Redis Cluster: the caller's token in its own slot, the
 * room's meta and member set in the room's slot (the same checks as on one Redis, in one script),
 * then the member events in the members' logs, one single-slot script each, pipelined per shard.
 * A 503 after the room's step leaves the change made and some events unwritten (a retry answers
 * 409 or does nothing: member events are notices, the member set is the truth).
 */
final class ClusterRooms {

  private final RedisGateway redis;
  private final SharedConfig config;
  private final ClusterLogs logs;

  ClusterRooms(RedisGateway redis, SharedConfig config, ClusterLogs logs) {
    this.redis = redis;
    this.config = config;
    this.logs = logs;
  }

  Future<Room> create(String room, String owner, List<String> members, RateLimit limit) {
    long now = System.currentTimeMillis();
    List<String> args = new ArrayList<>(List.of(Long.toString(redis.storeDeadline()), owner == null ? "" : owner,
        Long.toString(now)));
    args.addAll(members);
    return logs.takeToken(limit)
        .compose(v -> redis.store(LuaScript.CLUSTER_ROOM_CREATE,
            List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room)), args))
        .compose(reply -> switch (reply.get(0).toString()) {
          case "ok" -> Future.succeededFuture();
          case "late" -> Future.failedFuture(SendReservations.late());
          default -> Future.failedFuture(new ApiError(ErrorCode.ROOM_EXISTS, "room " + room + " already exists"));
        })
        .compose(v -> {
          List<ScriptCall> calls = new ArrayList<>();
          for (String uid : members) {
            String event = new MemberEvent(Ids.newMessageId(), room, uid, MemberEvent.Action.ADDED, owner, now).toJson();
            calls.add(logs.append(uid, event, "", "", "", true));
          }
          return logs.run(members, calls);
        })
        .map(v -> new Room(room, owner, members, now));
  }

  /** True when the member set changed (and the events were stored), false when there was nothing to do. */
  Future<Boolean> change(String room, String uid, MemberEvent.Action action, String caller, RateLimit limit,
      Function<String, Future<Boolean>> refusal) {
    MemberEvent event = new MemberEvent(Ids.newMessageId(), room, uid, action, caller, System.currentTimeMillis());
    List<String> args = List.of(action == MemberEvent.Action.ADDED ? "add" : "remove", uid,
        caller == null ? "" : caller, Integer.toString(config.maxRoomSize()), Long.toString(redis.storeDeadline()));
    return logs.takeToken(limit)
        .compose(v -> redis.store(LuaScript.CLUSTER_ROOM_MEMBERS,
            List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room)), args))
        .compose(reply -> {
          String outcome = reply.get(0).toString();
          if ("late".equals(outcome)) {
            return Future.failedFuture(SendReservations.late());
          }
          if (!"ok".equals(outcome)) {
            return refusal.apply(outcome);
          }
          List<String> targets = ClusterRoomMessages.rest(reply);
          List<ScriptCall> calls = new ArrayList<>();
          String json = event.toJson();
          // On each target's own channel, in order with its other entries (see ClusterRoomMessages).
          targets.forEach(target -> calls.add(logs.append(target, json, "", "", "", true)));
          return logs.run(targets, calls).map(appended -> true);
        });
  }
}
