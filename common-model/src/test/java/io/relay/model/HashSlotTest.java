package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected slots are what {@code redis-cli CLUSTER KEYSLOT <key>} answered on Redis 7.0. */
class HashSlotTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "foo|12182",
      "bar|5061",
      "123456789|12739",
      "relay:{u:alice}:log|5797",
      "{u:bob}|6248",
      "a{}b|13694",
      "{}{x}|3257",
      "x{y|2740",
      "user1000|3443",
      "{user1000}.following|3443",
      "foo{bar}{zap}|5061",
      "relay:{u:é}:log|7056"})
  void slotIsRedisClusterKeyslot(String key, int slot) {
    assertEquals(slot, HashSlot.of(key));
  }

  @Test
  void keysOfOneUserShareASlot() {
    assertEquals(HashSlot.of(RedisKeys.log("alice")), HashSlot.of(RedisKeys.idempotency("alice", "c-1")));
    assertEquals(HashSlot.of(RedisKeys.log("alice")), HashSlot.of(RedisKeys.liveChannel("alice")));
  }
}
