package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.HashSlot;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.testing.RedisCluster;
import io.relay.testing.RedisProcess;
import io.relay.testing.RespCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link RedisGateway} on a real Redis Cluster (three primaries, one replica each). Script calls
 * pipelined per shard on primaries that have never seen the scripts: a call that ran is never run
 * again to load another call's script, so a member event (no message id, never recognised as a
 * repeat) is in its log exactly once. And the startup check of {@code RELAY_REDIS_WAIT_REPLICAS}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterGatewayIT {

  private static RedisCluster cluster;
  private static final Vertx vertx = Vertx.vertx();
  private static RedisGateway redis;

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start();
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_DEV", "true", "REDIS_URL", cluster.url(),
        "RELAY_REDIS_TIMEOUT_MS", "3000"));
    redis = RedisGateway.connect(vertx, config, new RelayMetrics(), System::currentTimeMillis).await();
  }

  @AfterAll
  static void stop() {
    redis.close();
    vertx.close().await();
    cluster.close();
  }

  @Test
  @Order(1) // first: no primary has seen any script yet
  void aCallThatRanIsNotRunAgainWhenAnotherScriptOfItsBatchIsNewToTheShard() {
    List<String> members = twoUsersOnEveryPrimary("fresh");
    // The append script reaches every primary first, alone in its batches...
    redis.storeAll(memberEvents(members, "added")).await();
    // ...then shares each shard's batch with a script no primary has seen yet.
    List<ScriptCall> calls = memberEvents(members, "removed");
    for (RedisProcess primary : cluster.primaries()) {
      calls.add(locatorOn(primary));
    }

    redis.storeAll(calls).await();

    for (String uid : members) {
      assertThat(logLength(uid)).as("entries in %s's log", uid).isEqualTo(2);
    }
  }

  @Test
  @Order(2)
  void aPrimaryThatLostItsScriptsGetsThemAgainWithoutRunningACallTwice() {
    List<String> members = twoUsersOnEveryPrimary("flushed");
    redis.storeAll(memberEvents(members, "added")).await();
    cluster.primaries().forEach(primary -> RespCommand.send(primary.port(), "SCRIPT", "FLUSH"));

    // Every call of each batch fails with NOSCRIPT (nothing ran): sent again with the sources.
    redis.storeAll(memberEvents(members, "renamed")).await();
    members.forEach(uid -> assertThat(logLength(uid)).isEqualTo(2));

    RedisProcess first = cluster.primaries().get(0);
    redis.storeAll(List.of(locatorOn(first))).await(); // both scripts known on the first primary
    cluster.primaries().forEach(primary -> RespCommand.send(primary.port(), "SCRIPT", "FLUSH"));
    RespCommand.send(first.port(), "SCRIPT", "LOAD", LuaScript.CLUSTER_LOG_APPEND.in(redis.mode().pubSub()).source());
    List<ScriptCall> mixed = memberEvents(members, "removed");
    mixed.add(locatorOn(first));

    // On the first primary the appends ran and only the other script was missing: that batch is
    // not sent again (503, the caller retries); the other primaries had lost everything and store.
    Throwable failure = redis.storeAll(mixed).transform(done -> Future.succeededFuture(done.cause())).await();
    assertThat(failure).isInstanceOf(ApiError.class);
    for (String uid : members) {
      assertThat(logLength(uid)).as("entries in %s's log", uid).isEqualTo(3);
    }
    redis.storeAll(List.of(locatorOn(first))).await();
  }

  @Test
  @Order(3)
  void warnsOfEveryPrimaryWithFewerReplicasThanStoresWaitFor() {
    assertThat(gateway(1).replicaShortfalls().await()).isEmpty();

    List<String> warnings = gateway(2).replicaShortfalls().await();

    assertThat(warnings).hasSize(3);
    for (RedisProcess primary : cluster.primaries()) {
      assertThat(warnings).anySatisfy(warning -> assertThat(warning)
          .contains("RELAY_REDIS_WAIT_REPLICAS=2", ":" + primary.port() + " has 1 connected replica:"));
    }
  }

  private static RedisGateway gateway(int waitReplicas) {
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_DEV", "true", "REDIS_URL", cluster.url(),
        "RELAY_REDIS_TIMEOUT_MS", "3000", "RELAY_REDIS_WAIT_REPLICAS", Integer.toString(waitReplicas)));
    return RedisGateway.connect(vertx, config, new RelayMetrics(), System::currentTimeMillis).await();
  }

  private static List<String> twoUsersOnEveryPrimary(String prefix) {
    List<String> users = new ArrayList<>();
    for (RedisProcess primary : cluster.primaries()) {
      int found = 0;
      for (int i = 0; found < 2; i++) {
        String uid = prefix + "-" + i;
        if (portOf(RedisKeys.log(uid)) == primary.port()) {
          users.add(uid);
          found++;
        }
      }
    }
    return users;
  }

  /** The port of the primary serving {@code key}, as the gateway's slot map says. */
  private static int portOf(String key) {
    ShardMap map = ((ShardedRedis) redis.client()).shards().await();
    String address = map.ownerOf(HashSlot.of(key));
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** One member event per user, as room changes append them: no message id, published on the user's channel. */
  private static List<ScriptCall> memberEvents(List<String> users, String action) {
    List<ScriptCall> calls = new ArrayList<>();
    for (String uid : users) {
      String event = "{\"type\":\"member\",\"room\":\"r\",\"uid\":\"" + uid + "\",\"action\":\"" + action + "\"}";
      calls.add(new ScriptCall(LuaScript.CLUSTER_LOG_APPEND,
          List.of(RedisKeys.log(uid), RedisKeys.trimmed(uid), RedisKeys.messageIds(uid)),
          List.of(Long.toString(redis.storeDeadline()), event, "", "", "", "1000", "86400000",
              RedisKeys.liveChannel(uid), "0")));
    }
    return calls;
  }

  private static long logLength(String uid) {
    return (Long) RespCommand.send(portOf(RedisKeys.log(uid)), "XLEN", RedisKeys.log(uid));
  }

  /** A message locator on {@code primary}: the other script of a room message's batches. */
  private static ScriptCall locatorOn(RedisProcess primary) {
    for (int i = 0; ; i++) {
      String key = RedisKeys.messageLocator("m-" + primary.port() + "-" + i);
      if (portOf(key) == primary.port()) {
        return new ScriptCall(LuaScript.CLUSTER_SET, List.of(key), List.of("located", "60000"));
      }
    }
  }
}
