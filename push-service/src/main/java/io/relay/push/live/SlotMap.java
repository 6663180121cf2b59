package io.relay.push.live;

import io.relay.model.HashSlot;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which primary serves each hash slot, as one node of the cluster saw it ({@code CLUSTER SLOTS}).
 * Endpoints are {@code host:port}. A snapshot: the link takes a new one after any sign that the
 * cluster changed.
 */
final class SlotMap {

  /** Slots {@code first..last} (inclusive) served by the primary at {@code endpoint}. */
  record Range(int first, int last, String endpoint) {
  }

  private final String[] primaryOf = new String[HashSlot.SLOTS];
  private final Set<String> endpoints = new LinkedHashSet<>();

  SlotMap(List<Range> ranges) {
    for (Range range : ranges) {
      for (int slot = range.first(); slot <= range.last(); slot++) {
        primaryOf[slot] = range.endpoint();
      }
      endpoints.add(range.endpoint());
    }
  }

  /**
   * Parses a {@code CLUSTER SLOTS} reply: {@code [first, last, [host, port, id…], replicas…]} per
   * range, the primary first. An empty host means the node that answered ({@code answeredBy}).
   */
  static SlotMap parse(Response reply, String answeredBy) {
    List<Range> ranges = new ArrayList<>();
    for (Response range : reply) {
      Response primary = range.get(2);
      String host = primary.get(0) == null ? "" : primary.get(0).toString();
      String endpoint = host.isEmpty() || "?".equals(host)
          ? hostOf(answeredBy) + ":" + primary.get(1).toInteger()
          : host + ":" + primary.get(1).toInteger();
      ranges.add(new Range(range.get(0).toInteger(), range.get(1).toInteger(), endpoint));
    }
    return new SlotMap(ranges);
  }

  /** The primary serving {@code channel}'s slot, or null when no node serves it (a cluster in trouble). */
  String primaryFor(String channel) {
    return primaryOf[HashSlot.of(channel)];
  }

  /** Every primary that serves slots. */
  Set<String> endpoints() {
    return endpoints;
  }

  /**
   * {@code channels} grouped by the primary that serves them, then by slot: one {@code SSUBSCRIBE}
   * may name several channels only when they share a slot. Channels of unserved slots are keyed
   * by null.
   */
  Map<String, Map<Integer, List<String>>> route(Collection<String> channels) {
    Map<String, Map<Integer, List<String>>> routes = new LinkedHashMap<>();
    for (String channel : channels) {
      int slot = HashSlot.of(channel);
      routes.computeIfAbsent(primaryOf[slot], e -> new LinkedHashMap<>())
          .computeIfAbsent(slot, s -> new ArrayList<>())
          .add(channel);
    }
    return routes;
  }

  private static String hostOf(String endpoint) {
    return endpoint.substring(0, endpoint.lastIndexOf(':'));
  }
}
