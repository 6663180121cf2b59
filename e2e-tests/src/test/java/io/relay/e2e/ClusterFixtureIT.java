package io.relay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.relay.model.HashSlot;
import io.relay.model.RedisKeys;
import io.relay.testing.RedisCluster;
import io.relay.testing.RedisProcess;
import io.relay.testing.RespCommand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cluster fixture itself: three shards that take writes, and a failover that loses none of them. */
class ClusterFixtureIT {

  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void threePrimariesTakeTheirSlotsAndAFailoverKeepsReplicatedWrites() {
    assertEquals(3, cluster.primaries().size());
    List<String> keys = keysOnEveryShard();
    for (String key : keys) {
      RedisProcess primary = cluster.primaryFor(key);
      assertEquals(Long.valueOf(HashSlot.of(key)), RespCommand.send(primary.port(), "CLUSTER", "KEYSLOT", key));
      // WAIT on the connection that wrote: its replica has the write before anything is killed.
      List<Object> replies = RespCommand.sendAll(primary.port(),
          List.of(new String[] {"SET", key, "v-" + key}, new String[] {"WAIT", "1", "5000"}));
      assertEquals(List.of("OK", 1L), replies);
    }

    String first = keys.get(0);
    RedisProcess killed = cluster.primaryFor(first);
    cluster.killPrimary(killed);
    cluster.awaitFailover(killed);

    RedisProcess promoted = cluster.primaryFor(first);
    assertNotEquals(killed.port(), promoted.port());
    for (String key : keys) {
      assertEquals("v-" + key, RespCommand.text(cluster.primaryFor(key).port(), "GET", key));
    }

    cluster.restart(killed);
    assertEquals(3, cluster.primaries().size());
  }

  /** One user key per primary, found by trying user ids until every shard has one. */
  private static List<String> keysOnEveryShard() {
    Set<Integer> ports = new HashSet<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; ports.size() < 3; i++) {
      String key = RedisKeys.log("user" + i);
      if (ports.add(cluster.primaryFor(key).port())) {
        keys.add(key);
      }
    }
    return keys;
  }
}
