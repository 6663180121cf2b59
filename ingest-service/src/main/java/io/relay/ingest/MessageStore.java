package io.relay.ingest;

import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.model.StoredMessage;
import io.relay.service.RedisGateway;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a message in every log it belongs to and publishes it, in one Redis round trip (the
 * {@code store-message.lua} script), so Redis holds all of it or none of it.
 */
final class MessageStore {

  static final int IDEMPOTENCY_SECONDS = 24 * 3600;

  /** The outcome: the message's id, whether it was a repeat, and its seq in each log. */
  record Stored(String id, boolean duplicate, List<Seq> seqs) {
  }

  private final RedisGateway redis;
  private final SharedConfig config;

  MessageStore(RedisGateway redis, SharedConfig config) {
    this.redis = redis;
    this.config = config;
  }

  /**
   * @param logs           the users whose logs get the message (no repeats)
   * @param idempotencyKey the sender's key for its clientMsgId, or null
   */
  Future<Stored> store(StoredMessage message, List<String> logs, String idempotencyKey) {
    List<String> keys = new ArrayList<>();
    keys.add(idempotencyKey == null ? RedisKeys.log(logs.get(0)) : idempotencyKey);
    logs.forEach(uid -> keys.add(RedisKeys.log(uid)));
    logs.forEach(uid -> keys.add(RedisKeys.trimmed(uid)));
    List<String> args = new ArrayList<>(List.of(
        idempotencyKey == null ? "0" : "1",
        message.id(),
        Integer.toString(IDEMPOTENCY_SECONDS),
        Integer.toString(config.retentionCount()),
        Long.toString(config.retentionMillis()),
        message.toJson()));
    logs.forEach(uid -> args.add(RedisKeys.liveChannel(uid)));
    return redis.eval(LuaScript.STORE_MESSAGE, keys, args).map(reply -> stored(reply, message.id()));
  }

  private static Stored stored(Response reply, String id) {
    if ("dup".equals(reply.get(0).toString())) {
      return new Stored(reply.get(1).toString(), true, List.of());
    }
    List<Seq> seqs = new ArrayList<>();
    for (int i = 1; i < reply.size(); i++) {
      seqs.add(Seq.parse(reply.get(i).toString()));
    }
    return new Stored(id, false, seqs);
  }
}
