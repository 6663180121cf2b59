package io.relay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMapTest {

  @Test
  void aNodeTheClusterNamesIsReachedLikeTheSeed() {
    assertEquals("redis://10.0.0.7:7001", ShardMap.endpoint("redis://127.0.0.1:7000", "10.0.0.7", 7001));
    assertEquals("rediss://user:secret@10.0.0.7:7001", ShardMap.endpoint("rediss://user:secret@seed:7000", "10.0.0.7", 7001));
    assertEquals("redis://seed:7001", ShardMap.endpoint("redis://seed:7000", "", 7001));
  }

  @Test
  void callsOnSlotsOfOnePrimaryShareAGroupInOrder() {
    String[] owners = new String[16384];
    Arrays.fill(owners, 0, 5461, "redis://a:1");
    Arrays.fill(owners, 5461, 10923, "redis://b:1");
    Arrays.fill(owners, 10923, 16383, "redis://c:1");
    ShardMap map = new ShardMap(owners, List.of("redis://a:1", "redis://b:1", "redis://c:1"));
    List<Integer> slots = List.of(1, 6000, 2, 12000, 5460, 5461, 16383, 16383);
    assertEquals(List.of(List.of(1, 2, 5460), List.of(6000, 5461), List.of(12000), List.of(16383), List.of(16383)),
        map.groups(slots, slot -> slot), "a slot nobody serves is alone");
  }
}
