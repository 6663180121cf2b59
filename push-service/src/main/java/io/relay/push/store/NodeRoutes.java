package io.relay.push.store;

import io.relay.push.live.NodePayload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Members grouped by the push node holding their connections, as the room scripts group them
 * ({@code route_to_bindings} in {@code log-append.lua}), for a transient frame routed from Java
 * on a Redis Cluster: one publish per node, listing that node's members once each.
 */
final class NodeRoutes {

  private final Map<String, List<String>> byNode = new LinkedHashMap<>();

  /** Notes {@code uid} under each of {@code nodes} (a member on two nodes is listed on both). */
  void add(String uid, List<String> nodes) {
    for (String node : nodes) {
      List<String> members = byNode.computeIfAbsent(node, n -> new ArrayList<>());
      if (!members.contains(uid)) {
        members.add(uid);
      }
    }
  }

  Map<String, List<String>> byNode() {
    return byNode;
  }

  /** The node channel payload of a transient frame: {@code T\n<uid>\n…\n\n<frame>} ({@link NodePayload}). */
  static String transientPayload(List<String> members, String frame) {
    return NodePayload.TRANSIENT_HEAD + String.join("\n", members) + "\n\n" + frame;
  }
}
