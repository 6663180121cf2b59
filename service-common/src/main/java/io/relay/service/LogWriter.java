package io.relay.service;

import io.relay.model.ConversationId;
import io.relay.model.HashSlot;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one entry to the logs of some users and publishes it, in one round trip (the
 * {@code store-message.lua} script): Redis holds it in all of them or in none. On a Redis Cluster
 * only appends whose keys share one slot go this way (a receipt: the sender's log and its once
 * key); the others fail, as they must go shard by shard.
 */
public final class LogWriter {

  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

  /**
   * Indexes a direct message entry under its id, remembering its sender ({@code null}: none), and
   * keeps each log's conversation with the other party (none without a sender) and the message's
   * locator (for edits and recalls, {@link io.relay.model.StoredMessage#locator}) up to date in the same step.
   */
  public record Index(String messageId, String sender, String to, String locator) {

    /** The conversation of this message in {@code owner}'s log, '' for none. */
    String conversationIn(String owner) {
      return sender == null ? "" : ConversationId.direct(owner, sender, to).toString();
    }
  }

  /**
   * Stores nothing when {@code key} already exists; else sets it to {@code value} for {@code seconds}.
   * {@code chosenNow}: the server has just chosen the key for a message id it has just drawn
   * ({@code srv-<id>}), so nothing can be stored under it yet: the script only remembers it,
   * without reading it first.
   */
  public record Once(String key, String value, int seconds, boolean chosenNow) {

    public Once(String key, String value, int seconds) {
      this(key, value, seconds, false);
    }

    /** The script's {@code guarded} argument (see {@code earlier_send} in log-append.lua). */
    String guard() {
      return chosenNow ? "2" : "1";
    }
  }

  private final RedisGateway redis;
  private final SharedConfig config;

  public LogWriter(RedisGateway redis, SharedConfig config) {
    this.redis = redis;
    this.config = config;
  }

  /**
   * @param json  the entry without {@code seq}
   * @param index the message index entry, or null for entries that are not messages
   * @param uids  the users whose logs get the entry (no repeats)
   * @param once  the idempotency guard, or null
   * @return the script's reply: {@code ['dup', value]} or {@code ['ok', seq…]} in the order of uids;
   *     failed with 503 when Redis ran it too late (see {@link RedisGateway#storeDeadline})
   */
  public Future<Response> append(String json, Index index, List<String> uids, Once once) {
    return append(json, index, uids, once, null);
  }

  /**
   * The same, first taking a token from the sender's budget {@code limit} (null: no limit);
   * failed with 429 when the budget is spent (nothing stored).
   */
  public Future<Response> append(String json, Index index, List<String> uids, Once once, RateLimit limit) {
    RateLimit budget = limit == null ? RateLimit.none(RedisKeys.log(uids.get(0))) : limit;
    List<String> keys = new ArrayList<>();
    keys.add(once == null ? RedisKeys.log(uids.get(0)) : once.key());
    keys.add(budget.key());
    keys.add(index == null ? budget.key() : RedisKeys.messageLocator(index.messageId()));
    uids.forEach(uid -> keys.add(RedisKeys.log(uid)));
    uids.forEach(uid -> keys.add(RedisKeys.trimmed(uid)));
    uids.forEach(uid -> keys.add(RedisKeys.messageIds(uid)));
    List<String> args = new ArrayList<>(List.of(
        once == null ? "0" : once.guard(),
        once == null ? "" : once.value(),
        once == null ? "0" : Integer.toString(once.seconds()),
        Integer.toString(config.retentionCount()),
        Long.toString(config.retentionMillis()),
        json,
        Long.toString(redis.storeDeadline()),
        index == null ? "" : index.messageId(),
        index == null || index.sender() == null ? "" : index.sender()));
    args.addAll(budget.args());
    args.add(index == null ? "" : index.locator());
    uids.forEach(uid -> args.add(RedisKeys.liveChannel(uid)));
    uids.forEach(uid -> args.add(index == null ? "" : index.conversationIn(uid)));
    if (redis.cluster() && keys.stream().mapToInt(HashSlot::of).distinct().count() > 1) {
      // One script may touch one slot only: multi-slot stores go shard by shard (ingest's Cluster* stores).
      return Future.failedFuture(new IllegalStateException("on a Redis Cluster this append spans slots: " + keys));
    }
    return redis.store(LuaScript.STORE_MESSAGE, keys, args).compose(LogWriter::refuseLateOrLimited);
  }

  /**
   * Turns a storing script's refusals into errors: {@code ['late']} (it started after its
   * deadline, {@link RedisGateway#storeDeadline}) into 503, {@code ['rate_limited', ms]} (the
   * sender's budget is spent, {@code take_token}) into 429 with {@code Retry-After}. Passes any
   * other reply on.
   */
  public static Future<Response> refuseLateOrLimited(Response reply) {
    String outcome = reply.get(0).toString();
    if ("late".equals(outcome)) {
      LOG.warn("Redis ran a store after its deadline and refused it: Redis was too slow to start it");
      return Future.failedFuture(ApiError.unavailable("storage too slow, retry later"));
    }
    if ("rate_limited".equals(outcome)) {
      return Future.failedFuture(ApiError.rateLimited("too many messages, slow down", reply.get(1).toLong()));
    }
    return Future.succeededFuture(reply);
  }
}
