package io.relay.service;

import io.relay.model.HashSlot;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Which primary serves each hash slot of a Redis Cluster, as one node answered
 * {@code CLUSTER SLOTS}: the one parser of that reply, used by the command client
 * ({@link ShardedRedis}) and by the push node's sharded subscriber. Primaries are named by their
 * {@code host:port} address (never with credentials, so an address may be logged);
 * {@link #uri} makes the URL to connect to. Immutable: a refresh makes a new one.
 */
public final class ShardMap {

  /** Slots {@code first..last} (inclusive) served by the primary at {@code address}. */
  public record Range(int first, int last, String address) {
  }

  private final String[] ownerBySlot = new String[HashSlot.SLOTS];
  private final List<String> primaries;

  private ShardMap(List<Range> ranges) {
    Set<String> addresses = new LinkedHashSet<>();
    for (Range range : ranges) {
      String address = range.address();
      for (int slot = range.first(); slot <= range.last(); slot++) {
        ownerBySlot[slot] = address;
      }
      addresses.add(address);
    }
    this.primaries = List.copyOf(addresses);
  }

  /** A map of these ranges (tests, and the parser). */
  public static ShardMap of(List<Range> ranges) {
    return new ShardMap(ranges);
  }

  /**
   * Parses a {@code CLUSTER SLOTS} reply: {@code [first, last, [host, port, id…], replicas…]} per
   * range, the primary first. An empty (or {@code ?}) host means the node that answered,
   * {@code answeredBy} ({@code host:port}).
   */
  public static ShardMap parse(Response reply, String answeredBy) {
    List<Range> ranges = new ArrayList<>();
    for (Response range : reply) {
      Response primary = range.get(2);
      String host = primary.get(0) == null ? "" : primary.get(0).toString();
      if (host.isEmpty() || "?".equals(host)) {
        host = answeredBy.substring(0, answeredBy.lastIndexOf(':'));
      }
      ranges.add(new Range(range.get(0).toInteger(), range.get(1).toInteger(), host + ":" + primary.get(1).toInteger()));
    }
    return new ShardMap(ranges);
  }

  /** The URL for the node at {@code address} ({@code host:port}) with {@code seed}'s scheme, credentials and path. */
  public static String uri(String seed, String address) {
    URI uri = URI.create(seed);
    String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return uri.getScheme() + "://" + userInfo + address + path;
  }

  /** The {@code host:port} of a {@code redis://} URL (6379 when it names no port). */
  public static String address(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  /** The primary serving {@code slot}, null when no node does. */
  public String ownerOf(int slot) {
    return ownerBySlot[slot];
  }

  /** Every primary that serves slots, in the order the reply named them. */
  public List<String> primaries() {
    return primaries;
  }

  /**
   * Splits {@code items} into groups whose slots one primary serves, in order within a group,
   * keyed by that primary; items of slots no node serves are keyed by null.
   */
  public <T> Map<String, List<T>> groups(List<T> items, ToIntFunction<T> slotOf) {
    Map<String, List<T>> groups = new LinkedHashMap<>();
    for (T item : items) {
      groups.computeIfAbsent(ownerBySlot[slotOf.applyAsInt(item)], k -> new ArrayList<>()).add(item);
    }
    return groups;
  }
}
