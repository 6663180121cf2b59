package io.relay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShardMapTest {

  @Test
  void aNodeTheClusterNamesIsReachedLikeTheSeed() {
    assertEquals("redis://10.0.0.7:7001", ShardMap.endpoint("redis://127.0.0.1:7000", "10.0.0.7", 7001));
    assertEquals("rediss://user:secret@10.0.0.7:7001", ShardMap.endpoint("rediss://user:secret@seed:7000", "10.0.0.7", 7001));
    assertEquals("redis://seed:7001", ShardMap.endpoint("redis://seed:7000", "", 7001));
  }
}
