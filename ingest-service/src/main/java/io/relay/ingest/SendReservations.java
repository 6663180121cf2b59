package io.relay.ingest;

import io.relay.model.HashSlot;
import io.relay.model.LuaScript;
import io.relay.model.StoredMessage;
import io.relay.service.ApiError;
import io.relay.service.LogWriter;
import io.relay.service.RateLimit;
import io.relay.service.RedisGateway;
import io.relay.service.ScriptCall;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * A sender's idempotency key on a Redis Cluster, where a message is stored shard by shard: reserved
 * with the message before any log is written ({@code cluster-reserve.lua}), so a retry with the same
 * clientMsgId after a partial store finds the first attempt's message and completes it; settled to
 * the message id once the message is in all its logs, after which a retry is a plain duplicate.
 */
final class SendReservations {

  private static final String PENDING = "p\n";

  /** NEW: reserved now; PENDING: an earlier attempt's, not complete; DONE: stored everywhere. */
  enum State { NEW, PENDING, DONE }

  /**
   * The message to store (or stored): the first attempt's id, locator and entry JSON when this is a
   * retry. {@code value} is the reservation as stored (what {@link #release} compares).
   */
  record Reservation(State state, String id, String locator, String json, String value) {

    /** The message's ts, from its locator ({@code <from>\t<to>\t<room>\t<ts>}); 0 when settled. */
    long ts() {
      return locator == null ? 0 : Long.parseLong(locator.split("\t", -1)[3]);
    }
  }

  private final RedisGateway redis;

  SendReservations(RedisGateway redis) {
    this.redis = redis;
  }

  /**
   * Reserves {@code key} for {@code message}, taking a token from {@code limit} (in the key's slot);
   * a repeat takes none. Fails 429 when the budget is spent, 503 when Redis started too late.
   */
  Future<Reservation> reserve(String key, RateLimit limit, StoredMessage message) {
    if (HashSlot.of(key) != HashSlot.of(limit.key())) {
      throw new IllegalArgumentException("the send budget " + limit.key() + " must be in the slot of " + key);
    }
    String value = PENDING + message.id() + "\n" + message.locator() + "\n" + message.toJson();
    List<String> args = new ArrayList<>(List.of(Long.toString(redis.storeDeadline()), value,
        Integer.toString(MessageStore.IDEMPOTENCY_SECONDS)));
    args.addAll(limit.args());
    return redis.store(LuaScript.CLUSTER_RESERVE, List.of(key, limit.key()), args)
        .compose(LogWriter::refuseLateOrLimited)
        .map(reply -> "ok".equals(reply.get(0).toString())
            ? new Reservation(State.NEW, message.id(), message.locator(), message.toJson(), value)
            : earlier(reply.get(1).toString()));
  }

  static Reservation earlier(String value) {
    if (!value.startsWith(PENDING)) {
      return new Reservation(State.DONE, value, null, null, value);
    }
    String[] parts = value.split("\n", 4);
    return new Reservation(State.PENDING, parts[1], parts[2], parts[3], value);
  }

  /** The step that marks the message stored everywhere: the key then holds its id (lifetime kept). */
  static ScriptCall settle(String key, String id) {
    return new ScriptCall(LuaScript.CLUSTER_SET, List.of(key), List.of(id, ""));
  }

  /** Settles now (after the logs are written). */
  Future<Void> settleNow(String key, String id) {
    ScriptCall settle = settle(key, id);
    return redis.eval(settle.script(), settle.keys(), settle.args()).mapEmpty();
  }

  /** Gives the key back after a refusal (no such room, not a member); never fails the caller. */
  Future<Void> release(String key, Reservation reservation) {
    return redis.eval(LuaScript.CLUSTER_RELEASE, List.of(key), List.of(reservation.value()))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  /** 503 for a step that ran too late: the retry completes the message. */
  static ApiError late() {
    return ApiError.unavailable("storage too slow, retry later");
  }
}
