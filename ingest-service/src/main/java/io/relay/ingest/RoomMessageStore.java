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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a room message (docs/protocol.md#sending-post-v1messages, docs/rooms-presence.md) in the room's history and in the log of every member, and
 * publishes it to each, in one round trip ({@code store-room-message.lua}). The membership check
 * runs inside the same script, so it cannot race with a member being removed. Stores are sent as
 * {@link RoomStoreAdmission} admits them, so a burst to a big room waits here rather than in Redis,
 * and the posts to one room that waited together go in one script call (a batch).
 */
final class RoomMessageStore {

  private static final Logger LOG = LoggerFactory.getLogger(RoomMessageStore.class);

  /**
   * Member logs the room stores of one event loop write at once, at most (a batch to a room bigger
   * than this runs alone): a batch to a room of 1000 members takes Redis some 100 ms, so with one
   * such batch in flight per loop the next one starts well within its store deadline.
   */
  static final int LOGS_IN_FLIGHT = 1_000;
  /** Posts to one room stored by one script call at most. */
  static final int MAX_BATCH = 16;
  /**
   * Member logs (posts × members) the batches of all event loops of a process write at once, at
   * most: each loop's batches are cut to its share, so that with every loop's batch queued in
   * Redis (some 10 µs per log) the last still starts well within its store deadline.
   */
  static final int BATCH_LOGS = 32_000;
  /** A post that could not be sent within this many Redis timeouts is answered 503 unsent. */
  static final int MAX_WAIT_TIMEOUTS = 4;

  /** One post: what {@link #store} was given. */
  record Post(StoredMessage message, boolean senderMustBeMember, String idempotencyKey, RateLimit limit) {
  }

  private final RedisGateway redis;
  private final SharedConfig config;
  /** The store on a Redis Cluster (shard by shard), null on one Redis. */
  private final ClusterRoomMessages cluster;
  private final RoomStoreAdmission<Post, MessageStore.Stored> admission;

  RoomMessageStore(RedisGateway redis, SharedConfig config) {
    this(redis, config, null);
  }

  RoomMessageStore(RedisGateway redis, SharedConfig config, ClusterRoomMessages cluster) {
    this.redis = redis;
    this.config = config;
    this.cluster = cluster;
    // built on its verticle's event loop: the admission's state stays on it
    Context context = Vertx.currentContext();
    this.admission = new RoomStoreAdmission<>(LOGS_IN_FLIGHT, MAX_BATCH, BATCH_LOGS / Math.max(1, config.eventLoops()),
        (long) MAX_WAIT_TIMEOUTS * config.redisTimeoutMs(), System::currentTimeMillis, this::send,
        task -> {
          if (context == null || Vertx.currentContext() == context) {
            task.run();
          } else {
            context.runOnContext(v -> task.run());
          }
        });
  }

  /**
   * @param senderMustBeMember true when a user posts (a backend may post to any room)
   * @param idempotencyKey     the sender's key for its clientMsgId
   * @param limit              the sender's budget: spent by one token, or 429 (nothing stored)
   */
  Future<MessageStore.Stored> store(StoredMessage message, boolean senderMustBeMember, String idempotencyKey,
      RateLimit limit) {
    return admission.admit(message.room(), new Post(message, senderMustBeMember, idempotencyKey, limit));
  }

  /** Stores one batch of posts to {@code room}, its deadline taken now that it is sent. */
  private Future<?> send(String room, List<RoomStoreAdmission.Pending<Post, MessageStore.Stored>> batch) {
    if (cluster != null) { // shard by shard, post by post
      List<Future<MessageStore.Stored>> stored = batch.stream().map(pending -> {
        Post post = pending.request();
        return cluster.store(post.message(), post.senderMustBeMember(), post.idempotencyKey(), post.limit())
            .onSuccess(one -> learned(room, one))
            .onComplete(done -> settle(pending, done.result(), done.cause()));
      }).toList();
      return Future.join(stored);
    }
    List<String> keys = new ArrayList<>(5 + 3 * batch.size());
    keys.addAll(List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room), RedisKeys.roomHistory(room),
        RedisKeys.roomIds(room), RedisKeys.roomEdits(room)));
    List<String> args = new ArrayList<>(6 + 8 * batch.size());
    args.addAll(List.of(
        Long.toString(redis.storeDeadline()),
        Integer.toString(MessageStore.IDEMPOTENCY_SECONDS),
        Integer.toString(config.retentionCount()),
        Long.toString(config.retentionMillis()),
        ConversationId.ofRoom(room).toString(),
        Integer.toString(batch.size())));
    for (RoomStoreAdmission.Pending<Post, MessageStore.Stored> pending : batch) {
      Post post = pending.request();
      StoredMessage message = post.message();
      keys.add(post.idempotencyKey());
      keys.add(post.limit().key());
      keys.add(RedisKeys.messageLocator(message.id()));
      args.add("1");
      args.add(message.id());
      args.add(message.toJson());
      args.add(message.from() == null ? "" : message.from());
      args.add(post.senderMustBeMember() ? "1" : "0");
      args.addAll(post.limit().args());
      args.add(message.locator());
    }
    return redis.store(LuaScript.STORE_ROOM_MESSAGE, keys, args)
        .onSuccess(reply -> answer(room, reply, batch))
        .onFailure(e -> batch.forEach(pending -> pending.result().tryFail(e)));
  }

  /** Answers each post of the batch from its two items of the script's reply. */
  private void answer(String room, Response reply,
      List<RoomStoreAdmission.Pending<Post, MessageStore.Stored>> batch) {
    if (reply.size() < 2 * batch.size()) { // {'late'} or {'no_room'}: for all
      if ("late".equals(reply.get(0).toString())) {
        // refused unrun, nothing stored: sent again with a new deadline while the posts may wait
        LOG.warn("Redis started a room store after its deadline and refused it: sending it again");
        admission.again(room, batch);
        return;
      }
      Future<Response> refused = LogWriter.refuseLateOrLimited(reply);
      Throwable cause = refused.failed() ? refused.cause() : RoomStore.noSuchRoom(room);
      batch.forEach(pending -> pending.result().tryFail(cause));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      RoomStoreAdmission.Pending<Post, MessageStore.Stored> pending = batch.get(i);
      Future<MessageStore.Stored> one = stored(reply.get(2 * i).toString(), reply.get(2 * i + 1),
          pending.request().message());
      one.onSuccess(stored -> learned(room, stored)).onComplete(done -> settle(pending, done.result(), done.cause()));
    }
  }

  private static void settle(RoomStoreAdmission.Pending<Post, MessageStore.Stored> pending, MessageStore.Stored stored,
      Throwable failure) {
    if (failure == null) {
      pending.result().tryComplete(stored);
    } else {
      pending.result().tryFail(failure);
    }
  }

  private void learned(String room, MessageStore.Stored stored) {
    if (!stored.duplicate()) {
      admission.learned(room, stored.logs());
    }
  }

  private static Future<MessageStore.Stored> stored(String outcome, Response value, StoredMessage message) {
    return switch (outcome) {
      case "ok" -> Future.succeededFuture(new MessageStore.Stored(message.id(), false, value.toInteger()));
      case "dup" -> Future.succeededFuture(new MessageStore.Stored(value.toString(), true, 0));
      case "not_member" -> Future.failedFuture(new ApiError(ErrorCode.NOT_MEMBER,
          "you are not a member of room " + message.room()));
      case "rate_limited" -> Future.failedFuture(ApiError.rateLimited("too many messages, slow down", value.toLong()));
      default -> Future.failedFuture(RoomStore.noSuchRoom(message.room()));
    };
  }
}
