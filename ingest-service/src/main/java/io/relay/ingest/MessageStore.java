package io.relay.ingest;

import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.model.StoredMessage;
import io.relay.service.ApiError;
import io.relay.service.RedisGateway;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a message in every log it belongs to and publishes it, in one Redis round trip (the
 * {@code store-message.lua} script), so Redis holds all of it or none of it.
 */
final class MessageStore {

  private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);

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
        message.toJson(),
        Long.toString(deadline())));
    logs.forEach(uid -> args.add(RedisKeys.liveChannel(uid)));
    return redis.eval(LuaScript.STORE_MESSAGE, keys, args).compose(reply -> stored(reply, message.id()));
  }

  /**
   * The script refuses to store after this moment. Half the Redis timeout leaves the other half
   * for the reply to arrive before the sender is answered 503, so a 503 really means "not stored"
   * (as long as the ingest and Redis clocks agree to within that half, e.g. with NTP).
   */
  private long deadline() {
    return System.currentTimeMillis() + config.redisTimeoutMs() / 2;
  }

  private static Future<Stored> stored(Response reply, String id) {
    String outcome = reply.get(0).toString();
    if ("late".equals(outcome)) {
      LOG.warn("Redis ran a store after its deadline and refused it: Redis is slow or its clock is ahead");
      return Future.failedFuture(ApiError.unavailable("storage too slow, retry later"));
    }
    if ("dup".equals(outcome)) {
      return Future.succeededFuture(new Stored(reply.get(1).toString(), true, List.of()));
    }
    List<Seq> seqs = new ArrayList<>();
    for (int i = 1; i < reply.size(); i++) {
      seqs.add(Seq.parse(reply.get(i).toString()));
    }
    return Future.succeededFuture(new Stored(id, false, seqs));
  }
}
