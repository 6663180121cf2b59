package io.relay.ingest;

import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.RateLimit;
import io.relay.service.RedisGateway;
import io.relay.service.ScriptCall;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;

/**
 * The single-slot steps every store on a Redis Cluster is made of (docs/architecture.md#redis-cluster):
 * one user's log at a time ({@code cluster-log-append.lua}, at most once per message id), keys set
 * beside them, and a send budget taken on its own.
 */
final class ClusterLogs {

  /** What one log append did: appended now ({@code had} false) or found there; the nodes to tell. */
  record Appended(String uid, boolean had, String seq, List<String> nodes) {
  }

  private final RedisGateway redis;
  private final SharedConfig config;

  ClusterLogs(RedisGateway redis, SharedConfig config) {
    this.redis = redis;
    this.config = config;
  }

  /**
   * Appends {@code json} to {@code uid}'s log unless message {@code id} is there already ({@code id}
   * '' : not a message, always appended); publishes it on the user's live channel when
   * {@code publish}, else returns the nodes holding the user's bindings (room entries).
   */
  ScriptCall append(String uid, String json, String id, String sender, String conversation, boolean publish) {
    return new ScriptCall(LuaScript.CLUSTER_LOG_APPEND,
        List.of(RedisKeys.log(uid), RedisKeys.trimmed(uid), RedisKeys.messageIds(uid)),
        List.of(Long.toString(redis.storeDeadline()), json, id, sender == null ? "" : sender, conversation,
            Integer.toString(config.retentionCount()), Long.toString(config.retentionMillis()),
            publish ? RedisKeys.liveChannel(uid) : "", publish ? "0" : "1"));
  }

  /** Sets {@code key} to {@code value} for {@code millis}. */
  static ScriptCall set(String key, String value, long millis) {
    return new ScriptCall(LuaScript.CLUSTER_SET, List.of(key), List.of(value, Long.toString(millis)));
  }

  /** A message's locator, kept for the retention age, at least a day (as on one Redis). */
  ScriptCall locator(String messageId, String value) {
    return set(RedisKeys.messageLocator(messageId), value, Math.max(config.retentionMillis(), 86_400_000L));
  }

  /**
   * Runs the appends (and other single-slot calls after them) pipelined per shard; fails 503 when
   * any ran after its deadline. The appends' outcomes come in the order given.
   */
  Future<List<Appended>> run(List<String> uids, List<ScriptCall> calls) {
    return redis.storeAll(calls).compose(replies -> {
      List<Appended> appended = new ArrayList<>();
      for (int i = 0; i < replies.size(); i++) {
        Response reply = replies.get(i);
        if (reply.type() == ResponseType.MULTI && "late".equals(reply.get(0).toString())) {
          return Future.failedFuture(ApiError.unavailable("storage too slow, retry later"));
        }
        if (i < uids.size()) {
          appended.add(appended(uids.get(i), reply));
        }
      }
      return Future.succeededFuture(appended);
    });
  }

  private static Appended appended(String uid, Response reply) {
    List<String> nodes = new ArrayList<>();
    for (int i = 2; i < reply.size(); i++) {
      nodes.add(reply.get(i).toString());
    }
    return new Appended(uid, "had".equals(reply.get(0).toString()), reply.get(1).toString(), nodes);
  }

  /** Takes one token from {@code limit}'s budget (its own slot); 429 when spent. */
  Future<Void> takeToken(RateLimit limit) {
    return takeToken(redis, limit);
  }

  static Future<Void> takeToken(RedisGateway redis, RateLimit limit) {
    if (limit.perSec() <= 0) {
      return Future.succeededFuture();
    }
    return redis.eval(LuaScript.CLUSTER_TAKE_TOKEN, List.of(limit.key()), limit.args()).compose(wait ->
        wait.toLong() > 0
            ? Future.failedFuture(ApiError.rateLimited("too many messages, slow down", wait.toLong()))
            : Future.succeededFuture());
  }
}
