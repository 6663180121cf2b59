package io.relay.service;

import io.relay.model.HashSlot;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Which primary serves each hash slot of a Redis Cluster, as {@code CLUSTER SLOTS} answered: the
 * primaries as {@code redis://} URLs (with the seed URL's scheme and credentials), and the owner of
 * every slot. Immutable: a refresh makes a new one.
 */
final class ShardMap {

  private final String[] ownerBySlot;
  private final List<String> primaries;

  ShardMap(String[] ownerBySlot, List<String> primaries) {
    this.ownerBySlot = ownerBySlot;
    this.primaries = List.copyOf(primaries);
  }

  /** {@code CLUSTER SLOTS}: [[from, to, [host, port, id], replicas…]…], read with the seed's URL form. */
  static ShardMap of(Response reply, String seed) {
    String[] owners = new String[HashSlot.SLOTS];
    Map<String, String> primaries = new LinkedHashMap<>();
    for (Response range : reply) {
      Response primary = range.get(2);
      String endpoint = endpoint(seed, primary.get(0).toString(), primary.get(1).toInteger());
      String known = primaries.computeIfAbsent(endpoint, e -> e);
      for (int slot = range.get(0).toInteger(); slot <= range.get(1).toInteger(); slot++) {
        owners[slot] = known;
      }
    }
    return new ShardMap(owners, new ArrayList<>(primaries.values()));
  }

  /** {@code host:port} in the form of {@code seed} (scheme, user and password kept). */
  static String endpoint(String seed, String host, int port) {
    URI uri = URI.create(seed);
    String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return uri.getScheme() + "://" + userInfo + (host.isEmpty() ? uri.getHost() : host) + ":" + port + path;
  }

  /** The primary serving {@code slot}, null when no node does. */
  String ownerOf(int slot) {
    return ownerBySlot[slot];
  }

  List<String> primaries() {
    return primaries;
  }

  /**
   * Splits {@code items} into groups whose slots one primary serves, in order within a group;
   * an item whose slot no node serves is a group of its own.
   */
  <T> List<List<T>> groups(List<T> items, ToIntFunction<T> slotOf) {
    Map<Object, List<T>> groups = new LinkedHashMap<>();
    for (T item : items) {
      String owner = ownerBySlot[slotOf.applyAsInt(item)];
      groups.computeIfAbsent(owner != null ? owner : new Object(), k -> new ArrayList<>()).add(item);
    }
    return new ArrayList<>(groups.values());
  }
}
