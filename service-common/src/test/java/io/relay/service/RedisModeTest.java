package io.relay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relay.model.PubSubMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisModeTest {

  @Test
  void oneUrlIsOneServerUntilItSaysOtherwise() {
    RedisMode mode = RedisMode.fromUrl("redis://127.0.0.1:6379");
    assertFalse(mode.cluster());
    assertEquals(PubSubMode.PLAIN, mode.pubSub());
    assertEquals(List.of("redis://127.0.0.1:6379"), mode.endpoints());
  }

  @Test
  void aSeedListIsACluster() {
    RedisMode mode = RedisMode.fromUrl("redis://a:7000, redis://b:7001,,redis://c:7002");
    assertTrue(mode.cluster());
    assertEquals(PubSubMode.SHARDED, mode.pubSub());
    assertEquals(List.of("redis://a:7000", "redis://b:7001", "redis://c:7002"), mode.endpoints());
  }

  @Test
  void theServerTellsItIsAClusterAndItsVersion() {
    RedisMode byUrl = RedisMode.fromUrl("redis://a:7000");
    RedisMode seven = RedisMode.fromInfo(byUrl, "# Server\r\nredis_version:7.0.15\r\n# Cluster\r\ncluster_enabled:1\r\n");
    assertTrue(seven.cluster());
    assertEquals(PubSubMode.SHARDED, seven.pubSub());
    RedisMode six = RedisMode.fromInfo(byUrl, "redis_version:6.2.6\r\ncluster_enabled:1\r\n");
    assertTrue(six.cluster());
    assertEquals(PubSubMode.PLAIN, six.pubSub());
    RedisMode single = RedisMode.fromInfo(byUrl, "redis_version:6.2.6\r\ncluster_enabled:0\r\n");
    assertFalse(single.cluster());
  }
}
