package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.LuaScript;
import io.relay.model.MemberEvent;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.LogWriter;
import io.relay.service.RateLimit;
import io.relay.service.RedisGateway;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Rooms in Redis (docs/rooms-presence.md): create, read, delete, add and remove members. Every change runs as one
 * script that checks, changes the member set and stores the member events together, so a removed
 * member is out before the next room message is stored.
 */
final class RoomStore {

  private final RedisGateway redis;
  private final SharedConfig config;
  /** Creation and member changes on a Redis Cluster (slot by slot), null on one Redis. */
  private final ClusterRooms cluster;

  RoomStore(RedisGateway redis, SharedConfig config) {
    this(redis, config, null);
  }

  RoomStore(RedisGateway redis, SharedConfig config, ClusterRooms cluster) {
    this.redis = redis;
    this.config = config;
    this.cluster = cluster;
  }

  /**
   * Creates the room; each member gets an "added" event about itself. Fails 409 when it exists,
   * 429 when the creator's budget {@code limit} is spent.
   */
  Future<Room> create(String room, String owner, List<String> members, RateLimit limit) {
    if (cluster != null) {
      return cluster.create(room, owner, members, limit);
    }
    long now = System.currentTimeMillis();
    List<String> args = new ArrayList<>(List.of(owner == null ? "" : owner, Long.toString(now),
        Integer.toString(config.retentionCount()), Long.toString(config.retentionMillis()),
        Long.toString(redis.storeDeadline())));
    args.addAll(limit.args());
    for (String uid : members) {
      args.add(uid);
      args.add(new MemberEvent(Ids.newMessageId(), room, uid, MemberEvent.Action.ADDED, owner, now).toJson());
    }
    List<String> keys = List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room), limit.key());
    return redis.store(LuaScript.ROOM_CREATE, keys, args)
        .compose(LogWriter::refuseLateOrLimited)
        .compose(reply -> "exists".equals(reply.get(0).toString())
            ? Future.failedFuture(new ApiError(ErrorCode.ROOM_EXISTS, "room " + room + " already exists"))
            : Future.succeededFuture(new Room(room, owner, members, now)));
  }

  /**
   * Adds or removes {@code uid} as {@code caller} ({@code null}: a backend). True when the set
   * changed (and events were stored), false when there was nothing to do.
   */
  Future<Boolean> change(String room, String uid, MemberEvent.Action action, String caller, RateLimit limit) {
    if (cluster != null) {
      return cluster.change(room, uid, action, caller, limit, outcome -> outcome(outcome, room));
    }
    MemberEvent event = new MemberEvent(Ids.newMessageId(), room, uid, action, caller, System.currentTimeMillis());
    List<String> args = new ArrayList<>(List.of(action == MemberEvent.Action.ADDED ? "add" : "remove", uid,
        caller == null ? "" : caller, Integer.toString(config.maxRoomSize()),
        Integer.toString(config.retentionCount()), Long.toString(config.retentionMillis()), event.toJson(),
        Long.toString(redis.storeDeadline())));
    args.addAll(limit.args());
    List<String> keys = List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room), limit.key());
    return redis.store(LuaScript.ROOM_MEMBERS, keys, args)
        .compose(LogWriter::refuseLateOrLimited)
        .compose(reply -> outcome(reply.get(0).toString(), room));
  }

  /**
   * Deletes the room with its membership and history, as {@code caller} (the owner; null: a
   * backend). Completes with the number of members it had; fails 404 when there is none, 403
   * for anyone else.
   */
  Future<Integer> delete(String room, String caller) {
    List<String> keys = List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room), RedisKeys.roomHistory(room),
        RedisKeys.roomIds(room));
    List<String> args = List.of(caller == null ? "" : caller, Long.toString(redis.storeDeadline()));
    return redis.store(LuaScript.ROOM_DELETE, keys, args)
        .compose(LogWriter::refuseLateOrLimited)
        .compose(reply -> switch (reply.get(0).toString()) {
          case "ok" -> Future.succeededFuture(reply.get(1).toInteger());
          case "no_room" -> Future.<Integer>failedFuture(noSuchRoom(room));
          default -> Future.<Integer>failedFuture(
              ApiError.forbidden("only the room's owner or an API key may delete it"));
        });
  }

  private Future<Boolean> outcome(String result, String room) {
    return switch (result) {
      case "ok" -> Future.succeededFuture(true);
      case "noop" -> Future.succeededFuture(false);
      case "no_room" -> Future.failedFuture(noSuchRoom(room));
      case "full" -> Future.failedFuture(new ApiError(ErrorCode.ROOM_FULL,
          "room " + room + " has the most members allowed (" + config.maxRoomSize() + ")"));
      default -> Future.failedFuture(ApiError.forbidden("only the room's owner or an API key may do this"));
    };
  }

  /** The room, or a failed 404 when there is none. One round trip. */
  Future<Room> read(String room) {
    return redis.batch(List.of(
            Request.cmd(Command.HGETALL).arg(RedisKeys.roomMeta(room)),
            Request.cmd(Command.SMEMBERS).arg(RedisKeys.roomMembers(room))))
        .compose(replies -> replies.get(0) == null || replies.get(0).size() == 0
            ? Future.failedFuture(noSuchRoom(room))
            : Future.succeededFuture(room(room, replies.get(0), replies.get(1))));
  }

  private static Room room(String id, Response meta, Response members) {
    String owner = meta.get("owner") == null ? "" : meta.get("owner").toString();
    long created = meta.get("created") == null ? 0 : meta.get("created").toLong();
    List<String> uids = new ArrayList<>();
    members.forEach(uid -> uids.add(uid.toString()));
    return new Room(id, owner.isEmpty() ? null : owner, uids, created);
  }

  static ApiError noSuchRoom(String room) {
    return new ApiError(ErrorCode.NOT_FOUND, "room " + room + " does not exist");
  }
}
