package io.relay.push.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.push.live.NodePayload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRoutesTest {

  @Test
  void groupsMembersByNodeOnceEach() {
    NodeRoutes routes = new NodeRoutes();
    routes.add("ann", List.of("push-1", "push-2"));
    routes.add("ben", List.of("push-1"));
    routes.add("cid", List.of());
    routes.add("ann", List.of("push-1"));

    assertThat(routes.byNode()).containsExactly(
        Map.entry("push-1", List.of("ann", "ben")), Map.entry("push-2", List.of("ann")));
  }

  @Test
  void theTransientPayloadIsWhatNodePayloadReads() {
    String payload = NodeRoutes.transientPayload(List.of("ann", "ben"), "{\"type\":\"typing\"}");

    assertThat(payload).isEqualTo("T\nann\nben\n\n{\"type\":\"typing\"}");
    assertThat(payload).startsWith(NodePayload.TRANSIENT_HEAD);
  }
}
