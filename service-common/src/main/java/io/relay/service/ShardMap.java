package io.relay.service;

import io.relay.model.HashSlot;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Which primary serves each hash slot of a Redis Cluster ({@code CLUSTER SLOTS}), so the calls of
 * one store can be pipelined per shard: one batch and one {@code WAIT} per primary instead of one
 * round trip per key. Only a grouping hint: the client routes every batch itself, and a batch
 * whose keys turned out to span primaries (a failover or resharding since the last refresh) fails
 * and is answered 503 (the caller retries with its clientMsgId); a failure also forgets the map.
 */
final class ShardMap {

  private final Redis redis;
  /** Index of the primary per slot, -1 when unknown; null until loaded. */
  private volatile int[] owners;
  private Future<Void> loading;

  ShardMap(Redis redis) {
    this.redis = redis;
  }

  /** Loads the slot map again (at most one load at a time); never fails. */
  synchronized Future<Void> refresh() {
    if (loading == null) {
      loading = redis.send(Request.cmd(Command.CLUSTER).arg("SLOTS"))
          .map(reply -> {
            owners = owners(reply);
            return (Void) null;
          })
          .otherwiseEmpty()
          .andThen(done -> {
            synchronized (this) {
              loading = null;
            }
          });
    }
    return loading;
  }

  /** Forgets the map (a batch failed); the next {@link #groups} call loads it again. */
  void forget() {
    owners = null;
  }

  /**
   * Splits {@code items} into groups whose slots one primary serves, in order within a group;
   * each item alone when the map is not known.
   */
  <T> Future<List<List<T>>> groups(List<T> items, ToIntFunction<T> slotOf) {
    Future<Void> ready = owners == null ? refresh() : Future.succeededFuture();
    return ready.map(v -> group(owners, items, slotOf));
  }

  static <T> List<List<T>> group(int[] owners, List<T> items, ToIntFunction<T> slotOf) {
    Map<Integer, List<T>> groups = new LinkedHashMap<>();
    int unknown = -1;
    for (T item : items) {
      int owner = owners == null ? -1 : owners[slotOf.applyAsInt(item)];
      int key = owner >= 0 ? owner : unknown--;
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
    }
    return new ArrayList<>(groups.values());
  }

  /** {@code CLUSTER SLOTS}: [[from, to, [host, port, id], replicas…]…] → primary index per slot. */
  static int[] owners(Response reply) {
    int[] owners = new int[HashSlot.SLOTS];
    Arrays.fill(owners, -1);
    Map<String, Integer> primaries = new LinkedHashMap<>();
    for (Response range : reply) {
      Response primary = range.get(2);
      String address = primary.get(0).toString() + ":" + primary.get(1).toString();
      int index = primaries.computeIfAbsent(address, a -> primaries.size());
      for (int slot = range.get(0).toInteger(); slot <= range.get(1).toInteger(); slot++) {
        owners[slot] = index;
      }
    }
    return owners;
  }
}
