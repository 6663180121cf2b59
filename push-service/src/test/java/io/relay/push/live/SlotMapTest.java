package io.relay.push.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.HashSlot;
import io.relay.model.RedisKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotMapTest {

  static final String A = "10.0.0.1:7000";
  static final String B = "10.0.0.2:7001";
  static final String C = "10.0.0.3:7002";
  static final SlotMap THREE = new SlotMap(List.of(
      new SlotMap.Range(0, 5460, A), new SlotMap.Range(5461, 10922, B), new SlotMap.Range(10923, 16383, C)));

  /** A user whose live channel's slot is served by {@code endpoint} in {@link #THREE}. */
  static String userOn(String endpoint, int skip) {
    for (int i = 0; ; i++) {
      String uid = "user-" + i;
      if (endpoint.equals(THREE.primaryFor(RedisKeys.liveChannel(uid))) && skip-- == 0) {
        return uid;
      }
    }
  }

  @Test
  void routesEachChannelToThePrimaryOfItsSlot() {
    String onA = RedisKeys.liveChannel(userOn(A, 0));
    String onB = RedisKeys.liveChannel(userOn(B, 0));
    String onC = RedisKeys.liveChannel(userOn(C, 0));

    Map<String, Map<Integer, List<String>>> routes = THREE.route(List.of(onA, onB, onC));

    assertThat(routes).containsOnlyKeys(A, B, C);
    assertThat(routes.get(B)).containsExactly(Map.entry(HashSlot.of(onB), List.of(onB)));
  }

  @Test
  void groupsChannelsOfOnePrimaryBySlot() {
    String first = RedisKeys.liveChannel(userOn(A, 0));
    String second = RedisKeys.liveChannel(userOn(A, 1));
    // Same hash tag as the first, other suffix: the same slot.
    String sameSlot = first.replace(":live", ":other");

    Map<Integer, List<String>> onA = THREE.route(List.of(first, second, sameSlot)).get(A);

    assertThat(onA).hasSize(HashSlot.of(first) == HashSlot.of(second) ? 1 : 2);
    assertThat(onA.get(HashSlot.of(first))).contains(first, sameSlot);
  }

  @Test
  void slotsNobodyServesRouteToNull() {
    SlotMap partial = new SlotMap(List.of(new SlotMap.Range(0, 100, A)));
    String outside = RedisKeys.liveChannel(userOn(C, 0));

    assertThat(partial.primaryFor(outside)).isNull();
    assertThat(partial.route(List.of(outside))).containsOnlyKeys((String) null);
    assertThat(partial.endpoints()).containsExactly(A);
  }
}
