package io.relay.ingest;

import io.relay.model.ConversationId;
import io.relay.model.ErrorCode;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.StoredMessage;
import io.relay.service.ApiError;
import io.relay.service.LogWriter;
import io.relay.service.RateLimit;
import io.relay.service.RedisGateway;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a room message (docs/protocol.md#sending-post-v1messages, docs/rooms-presence.md) in the room's history and in the log of every member, and
 * publishes it to each, in one round trip ({@code store-room-message.lua}). The membership check
 * runs inside the same script, so it cannot race with a member being removed. Stores are sent as
 * {@link RoomStoreAdmission} admits them, so a burst to a big room waits here rather than in Redis.
 */
final class RoomMessageStore {

  /**
   * Member logs the room stores of one event loop write at once, at most (a store of a room bigger
   * than this runs alone): a few big-room stores, each some ms of Redis time, so the last of them
   * starts well within its store deadline.
   */
  static final int LOGS_IN_FLIGHT = 2_000;
  /** A store that could not be sent within this many Redis timeouts is answered 503 unsent. */
  static final int MAX_WAIT_TIMEOUTS = 4;

  private final RedisGateway redis;
  private final SharedConfig config;
  /** The store on a Redis Cluster (shard by shard), null on one Redis. */
  private final ClusterRoomMessages cluster;
  private final RoomStoreAdmission admission;

  RoomMessageStore(RedisGateway redis, SharedConfig config) {
    this(redis, config, null);
  }

  RoomMessageStore(RedisGateway redis, SharedConfig config, ClusterRoomMessages cluster) {
    this.redis = redis;
    this.config = config;
    this.cluster = cluster;
    this.admission = new RoomStoreAdmission(LOGS_IN_FLIGHT, (long) MAX_WAIT_TIMEOUTS * config.redisTimeoutMs(),
        System::currentTimeMillis);
  }

  /**
   * @param senderMustBeMember true when a user posts (a backend may post to any room)
   * @param idempotencyKey     the sender's key for its clientMsgId
   * @param limit              the sender's budget: spent by one token, or 429 (nothing stored)
   */
  Future<MessageStore.Stored> store(StoredMessage message, boolean senderMustBeMember, String idempotencyKey,
      RateLimit limit) {
    String room = message.room();
    return admission.admit(room, () -> send(message, senderMustBeMember, idempotencyKey, limit))
        .onSuccess(stored -> {
          if (!stored.duplicate()) {
            admission.learned(room, stored.logs());
          }
        });
  }

  /** The store itself, its deadline taken now that it is sent. */
  private Future<MessageStore.Stored> send(StoredMessage message, boolean senderMustBeMember, String idempotencyKey,
      RateLimit limit) {
    if (cluster != null) {
      return cluster.store(message, senderMustBeMember, idempotencyKey, limit);
    }
    String room = message.room();
    List<String> keys = List.of(idempotencyKey, RedisKeys.roomMeta(room), RedisKeys.roomMembers(room),
        RedisKeys.roomHistory(room), RedisKeys.roomIds(room), limit.key(), RedisKeys.messageLocator(message.id()),
        RedisKeys.roomEdits(room));
    List<String> args = new ArrayList<>(List.of(
        "1",
        message.id(),
        Integer.toString(MessageStore.IDEMPOTENCY_SECONDS),
        Integer.toString(config.retentionCount()),
        Long.toString(config.retentionMillis()),
        message.toJson(),
        message.from() == null ? "" : message.from(),
        senderMustBeMember ? "1" : "0",
        Long.toString(redis.storeDeadline())));
    args.addAll(limit.args());
    args.add(ConversationId.ofRoom(room).toString());
    args.add(message.locator());
    return redis.store(LuaScript.STORE_ROOM_MESSAGE, keys, args).compose(LogWriter::refuseLateOrLimited)
        .compose(reply -> stored(reply, message));
  }

  private static Future<MessageStore.Stored> stored(Response reply, StoredMessage message) {
    return switch (reply.get(0).toString()) {
      case "ok" -> Future.succeededFuture(new MessageStore.Stored(message.id(), false, reply.get(1).toInteger()));
      case "dup" -> Future.succeededFuture(new MessageStore.Stored(reply.get(1).toString(), true, 0));
      case "not_member" -> Future.failedFuture(new ApiError(ErrorCode.NOT_MEMBER,
          "you are not a member of room " + message.room()));
      default -> Future.failedFuture(RoomStore.noSuchRoom(message.room()));
    };
  }
}
