package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.LuaScript;
import io.relay.model.MessageChange;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.LogWriter;
import io.relay.service.RateLimit;
import io.relay.service.RedisGateway;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits and recalls (docs/conversations.md) in one round trip ({@code message-change.lua}): the
 * message's locator says where it lives; every log still holding it gets the change entry and the
 * message's new state, atomically, and the change spends the caller's send budget.
 */
final class MessageChanges {

  private final RedisGateway redis;
  private final SharedConfig config;
  private final long editWindowMs;
  /** Edits and recalls on a Redis Cluster (slot by slot), null on one Redis. */
  private final ClusterMessageChanges cluster;

  MessageChanges(RedisGateway redis, SharedConfig config, int editWindowSec) {
    this.redis = redis;
    this.config = config;
    this.editWindowMs = editWindowSec * 1000L;
    this.cluster = redis.cluster()
        ? new ClusterMessageChanges(redis, config, new ClusterLogs(redis, config), editWindowMs) : null;
  }

  /**
   * @param caller the user changing it, or null for a backend (may recall any message)
   * @return how many logs got the change; failed with 404 (unknown, expired or recalled message),
   *     403 (not the sender, or an edit after the window), 429 or 503
   */
  Future<Integer> apply(MessageChange change, String caller, RateLimit limit) {
    if (cluster != null) {
      return cluster.apply(change, caller, limit);
    }
    List<String> keys = List.of(RedisKeys.messageLocator(change.messageId()), limit.key());
    List<String> args = new ArrayList<>(List.of(
        change.recall() ? "recall" : "edit",
        change.messageId(),
        caller == null ? "" : caller,
        change.state(),
        change.toJson(),
        Long.toString(redis.storeDeadline()),
        Long.toString(editWindowMs),
        Integer.toString(config.retentionCount()),
        Long.toString(config.retentionMillis())));
    args.addAll(limit.args());
    return redis.store(LuaScript.MESSAGE_CHANGE, keys, args).compose(LogWriter::refuseLateOrLimited)
        .compose(reply -> switch (reply.get(0).toString()) {
          case "ok" -> Future.succeededFuture(reply.get(1).toInteger());
          case "forbidden" -> Future.failedFuture(ApiError.forbidden("only the sender may change this message"));
          case "too_late" -> Future.failedFuture(ApiError.forbidden(
              "the edit window of this message has passed (" + editWindowMs / 1000 + " s)"));
          default -> Future.failedFuture(new ApiError(ErrorCode.NOT_FOUND,
              "no message " + change.messageId() + " to change (unknown, expired or recalled)"));
        });
  }
}
