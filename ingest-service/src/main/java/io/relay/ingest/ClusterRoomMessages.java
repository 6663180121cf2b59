package io.relay.ingest;

import io.relay.model.ConversationId;
import io.relay.model.ErrorCode;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.StoredMessage;
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
 * A room message on a Redis Cluster: reserve the sender's idempotency key (and take a token); in
 * the room's slot check the room and the membership and append to the history, reading the
 * members ({@code cluster-room-store.lua}); then every member's log, one single-slot script each,
 * pipelined per shard with the locator, each append publishing on its member's channel; and the key
 * settled. Three round trips however many members. A retry with the same clientMsgId after a 503
 * completes the same message: the history and every log take it at most once.
 */
final class ClusterRoomMessages {

  private final RedisGateway redis;
  private final SharedConfig config;
  private final SendReservations reservations;
  private final ClusterLogs logs;

  ClusterRoomMessages(RedisGateway redis, SharedConfig config, SendReservations reservations, ClusterLogs logs) {
    this.redis = redis;
    this.config = config;
    this.reservations = reservations;
    this.logs = logs;
  }

  Future<MessageStore.Stored> store(StoredMessage message, boolean senderMustBeMember, String idempotencyKey,
      RateLimit limit) {
    return reservations.reserve(idempotencyKey, limit, message).compose(reserved -> {
      if (reserved.state() == SendReservations.State.DONE) {
        return Future.succeededFuture(new MessageStore.Stored(reserved.id(), true, 0));
      }
      return inRoom(message.room(), reserved, message.from(), senderMustBeMember)
          .recover(failure -> refused(failure)
              ? reservations.release(idempotencyKey, reserved).compose(v -> Future.failedFuture(failure))
              : Future.failedFuture(failure))
          .compose(members -> toMembers(message, reserved, members))
          .compose(count -> reservations.settleNow(idempotencyKey, reserved.id())
              .map(v -> new MessageStore.Stored(reserved.id(), false, count, reserved.ts())));
    });
  }

  /**
   * True for a refusal that stored nothing (no such room, not a member): the reservation is then
   * given back. Not for a 503, after which the room's step may have run: the retry needs the
   * reservation to complete the same message.
   */
  private static boolean refused(Throwable failure) {
    return failure instanceof ApiError error
        && (error.code() == ErrorCode.NOT_FOUND || error.code() == ErrorCode.NOT_MEMBER);
  }

  /** The room's part; completes with the members, fails 404 / 403 (nothing stored) or 503. */
  private Future<List<String>> inRoom(String room, SendReservations.Reservation reserved, String sender,
      boolean senderMustBeMember) {
    List<String> keys = List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room), RedisKeys.roomHistory(room),
        RedisKeys.roomIds(room), RedisKeys.roomEdits(room));
    List<String> args = List.of(Long.toString(redis.storeDeadline()), reserved.id(), reserved.json(),
        sender == null ? "" : sender, senderMustBeMember ? "1" : "0", Integer.toString(config.retentionCount()),
        Long.toString(config.retentionMillis()));
    return redis.store(LuaScript.CLUSTER_ROOM_STORE, keys, args).compose(reply -> switch (reply.get(0).toString()) {
      case "ok" -> Future.succeededFuture(rest(reply));
      case "late" -> Future.failedFuture(SendReservations.late());
      case "not_member" -> Future.failedFuture(new ApiError(ErrorCode.NOT_MEMBER, "you are not a member of room " + room));
      default -> Future.failedFuture(RoomStore.noSuchRoom(room));
    });
  }

  private Future<Integer> toMembers(StoredMessage message, SendReservations.Reservation reserved, List<String> members) {
    String conversation = ConversationId.ofRoom(message.room()).toString();
    List<ScriptCall> calls = new ArrayList<>();
    for (String uid : members) {
      // Published on the member's own channel by the append itself, like a direct message: one
      // shard, one subscriber connection, so a later direct message cannot overtake it on the way
      // to the member's push node (a node channel lives on another shard).
      calls.add(logs.append(uid, reserved.json(), reserved.id(), message.from(), conversation, true));
    }
    calls.add(logs.locator(reserved.id(), reserved.locator()));
    return logs.run(members, calls).map(appended -> members.size());
  }

  /** The strings of a script reply after its outcome. */
  static List<String> rest(Response reply) {
    List<String> values = new ArrayList<>();
    for (int i = 1; i < reply.size(); i++) {
      values.add(reply.get(i).toString());
    }
    return values;
  }
}
