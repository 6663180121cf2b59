package io.relay.push.live;

import io.relay.model.RedisKeys;
import io.relay.service.ShardMap;
import java.util.List;

/** A three-primary slot map for the sharded subscriber's tests, and users whose channels each primary serves. */
final class Shards {

  static final String A = "10.0.0.1:7000";
  static final String B = "10.0.0.2:7001";
  static final String C = "10.0.0.3:7002";
  static final ShardMap THREE = ShardMap.of(List.of(
      new ShardMap.Range(0, 5460, A), new ShardMap.Range(5461, 10922, B), new ShardMap.Range(10923, 16383, C)));

  private Shards() {
  }

  /** A user whose live channel's slot is served by {@code endpoint} in {@link #THREE}. */
  static String userOn(String endpoint, int skip) {
    for (int i = 0; ; i++) {
      String uid = "user-" + i;
      if (endpoint.equals(THREE.ownerOf(io.relay.model.HashSlot.of(RedisKeys.liveChannel(uid)))) && skip-- == 0) {
        return uid;
      }
    }
  }
}
