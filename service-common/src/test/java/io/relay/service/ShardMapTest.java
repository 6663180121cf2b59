package io.relay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMapTest {

  @Test
  void callsOnSlotsOfOnePrimaryShareAGroupInOrder() {
    int[] owners = new int[16384];
    Arrays.fill(owners, 0, 5461, 0);
    Arrays.fill(owners, 5461, 10923, 1);
    Arrays.fill(owners, 10923, 16384, 2);
    List<Integer> slots = List.of(1, 6000, 2, 12000, 5460, 5461);
    assertEquals(List.of(List.of(1, 2, 5460), List.of(6000, 5461), List.of(12000)),
        ShardMap.group(owners, slots, slot -> slot));
  }

  @Test
  void withoutAMapEveryCallIsItsOwnGroup() {
    assertEquals(List.of(List.of(1), List.of(1), List.of(2)), ShardMap.group(null, List.of(1, 1, 2), slot -> slot));
  }
}
