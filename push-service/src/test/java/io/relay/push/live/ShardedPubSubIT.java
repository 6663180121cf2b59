package io.relay.push.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.HashSlot;
import io.relay.model.RedisKeys;
import io.relay.testing.RedisCluster;
import io.relay.testing.RedisProcess;
import io.relay.testing.RespCommand;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sharded link against a real 3-primary cluster: a channel on every shard is heard; when a
 * channel's slot moves to another primary (Redis drops the subscription) and when a primary is
 * SIGKILLed, the subscriber reports the drop, resubscribes where the slot lives now and hears it
 * again. The resharding runs first: the failover leaves a node down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedPubSubIT {

  static RedisCluster cluster;
  static Vertx vertx;
  static Context context;
  static Redis publisher;
  static LiveSubscriber subscriber;
  static final List<String> heard = new CopyOnWriteArrayList<>();
  static final AtomicInteger drops = new AtomicInteger();
  static final AtomicInteger resubscribes = new AtomicInteger();
  static boolean started;

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start();
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    List<String> seeds = Arrays.asList(cluster.url().split(","));
    publisher = Redis.createClient(vertx, new RedisOptions().setType(RedisClientType.CLUSTER)
        .setEndpoints(new ArrayList<>(seeds)));
    PubSubLink link = PubSubLinks.create(vertx, new RedisOptions().setEndpoints(new ArrayList<>(seeds)), true);
    subscriber = onLoop(() -> new LiveSubscriber(vertx, link, new LiveSubscriber.Listener() {
      @Override
      public void onMessage(String channel, String payload) {
        heard.add(channel + " " + payload);
      }

      @Override
      public void onDropped() {
        drops.incrementAndGet();
      }

      @Override
      public void onResubscribed() {
        resubscribes.incrementAndGet();
      }
    }, 1_000));
  }

  @AfterAll
  static void stop() {
    if (subscriber != null) {
      onLoop(subscriber::stop).await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void followsASlotMovedToAnotherPrimary() {
    List<RedisProcess> primaries = cluster.primaries();
    String moved = channelOn(primaries.get(0));
    String stays = channelOn(primaries.get(1));
    onLoop(() -> subscriber.start(List.of(RedisKeys.nodeLive("push-it")))).await();
    started = true;
    onLoop(() -> Future.all(subscriber.subscribe(moved), subscriber.subscribe(stays))).await();
    int dropsBefore = drops.get();
    int resubscribesBefore = resubscribes.get();

    moveSlot(HashSlot.of(moved), primaries.get(0), primaries.get(1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> resubscribes.get() > resubscribesBefore);
    assertThat(drops.get()).isGreaterThan(dropsBefore);

    publish(moved, "after the move");
    publish(stays, "after the move");
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heard)
        .contains(moved + " after the move", stays + " after the move"));
    onLoop(() -> {
      subscriber.unsubscribe(moved);
      subscriber.unsubscribe(stays);
      return null;
    });
  }

  /**
   * Moves an empty slot (channels have no keys) from one primary to another as a resharding does:
   * importing / migrating, then the new owner announced to every primary.
   */
  private static void moveSlot(int slot, RedisProcess from, RedisProcess to) {
    String fromId = RespCommand.text(from.port(), "CLUSTER", "MYID");
    String toId = RespCommand.text(to.port(), "CLUSTER", "MYID");
    RespCommand.send(to.port(), "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", fromId);
    RespCommand.send(from.port(), "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", toId);
    RespCommand.send(to.port(), "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId);
    RespCommand.send(from.port(), "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId);
    for (RedisProcess node : cluster.primaries()) {
      if (node != from && node != to) {
        RespCommand.send(node.port(), "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId);
      }
    }
  }

  @Test
  @Order(2)
  void hearsEveryShardAndFollowsAFailover() {
    List<String> channels = new ArrayList<>();
    List<RedisProcess> primaries = cluster.primaries();
    for (RedisProcess primary : primaries) {
      channels.add(channelOn(primary));
    }
    String node = RedisKeys.nodeLive("push-it");
    if (!started) {
      onLoop(() -> subscriber.start(List.of(node))).await();
    }
    onLoop(() -> Future.all(channels.stream().map(subscriber::subscribe).toList())).await();

    channels.forEach(channel -> publish(channel, "before"));
    publish(node, "to-node");
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heard)
        .containsAll(channels.stream().map(channel -> channel + " before").toList())
        .contains(node + " to-node"));

    RedisProcess killed = cluster.primaryFor(channels.get(1));
    int dropsBefore = drops.get();
    int resubscribesBefore = resubscribes.get();
    cluster.killPrimary(killed);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> drops.get() > dropsBefore);
    cluster.awaitFailover(killed);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> resubscribes.get() > resubscribesBefore);

    // The promoted replica serves the slot now: what is published there is heard, as on the other shards.
    channels.forEach(channel -> publish(channel, "after"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heard)
        .containsAll(channels.stream().map(channel -> channel + " after").toList()));
    assertThat(heard).doesNotHaveDuplicates();
  }

  /** A user live channel whose slot {@code primary} serves. */
  private static String channelOn(RedisProcess primary) {
    for (int i = 0; ; i++) {
      String channel = RedisKeys.liveChannel("it-user-" + i);
      if (cluster.primaryFor(channel).equals(primary)) {
        return channel;
      }
    }
  }

  /** SPUBLISH through the cluster client, retried while the cluster settles. */
  private static void publish(String channel, String payload) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> publisher.send(Request.cmd(Command.SPUBLISH).arg(channel).arg(payload)).await() != null);
  }

  /** Runs {@code action} on the one event loop the subscriber lives on, and returns its result. */
  private static <T> T onLoop(Supplier<T> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> result.complete(action.get()));
    return result.future().await();
  }
}
