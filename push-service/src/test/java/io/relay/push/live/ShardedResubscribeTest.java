package io.relay.push.live;

import static io.relay.push.live.Shards.A;
import static io.relay.push.live.Shards.B;
import static io.relay.push.live.Shards.C;
import static io.relay.push.live.Shards.THREE;
import static io.relay.push.live.Shards.userOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.push.live.FakeShardSockets.FakeSocket;
import io.relay.service.ShardMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link LiveSubscriber} over {@link ShardedConnection}s, without Redis: when one primary fails and
 * its replica takes its slots, the whole link is rebuilt on the new slot map, every channel is
 * subscribed again where its slot lives now, and the catch-up is owed until every shard confirmed.
 */
@ExtendWith(VertxExtension.class)
class ShardedResubscribeTest {

  private static final String D = "10.0.0.4:7003";
  private static final long PROBE_MS = 600_000;

  private final FakeShardSockets sockets = new FakeShardSockets();
  private final String node = RedisKeys.nodeLive("push-1");
  private final String onA = RedisKeys.liveChannel(userOn(A, 0));
  private final String onB = RedisKeys.liveChannel(userOn(B, 0));
  private final String onC = RedisKeys.liveChannel(userOn(C, 0));
  private final List<String> heard = new ArrayList<>();
  private ShardMap slots = THREE;
  private int drops;
  private int resubscribes;

  /** A link whose every connection routes by the slot map of the moment, as a fresh CLUSTER SLOTS would. */
  private final PubSubLink link = new PubSubLink() {
    @Override
    public Future<Connection> connect(Events events) {
      return Future.succeededFuture(new ShardedConnection(slots, sockets, events));
    }

    @Override
    public void close() {
    }
  };

  private LiveSubscriber subscriber(Vertx vertx) {
    return new LiveSubscriber(vertx, link, new LiveSubscriber.Listener() {
      @Override
      public void onMessage(String channel, String payload) {
        heard.add(channel + " " + payload);
      }

      @Override
      public void onDropped() {
        drops++;
      }

      @Override
      public void onResubscribed() {
        resubscribes++;
      }
    }, PROBE_MS);
  }

  @Test
  void aFailedPrimaryIsReplacedByItsReplicaAndEveryChannelIsSubscribedAgain(Vertx vertx, VertxTestContext test) {
    vertx.getOrCreateContext().runOnContext(v -> test.verify(() -> {
      LiveSubscriber subscriber = subscriber(vertx);
      subscriber.start(List.of(node));
      List<Future<Void>> armed = List.of(subscriber.subscribe(onA), subscriber.subscribe(onB),
          subscriber.subscribe(onC));
      confirmEverything();
      assertThat(Future.all(armed).succeeded()).isTrue();

      // A dies; its replica D serves A's slots from now on.
      slots = ShardMap.of(List.of(new ShardMap.Range(0, 5460, D), new ShardMap.Range(5461, 10922, B),
          new ShardMap.Range(10923, 16383, C)));
      Future<FakeSocket> promoted = sockets.nextOpened(D);
      sockets.sockets.get(A).lost.accept("connection reset");
      assertThat(drops).isEqualTo(1);
      assertThat(sockets.sockets.values()).allMatch(socket -> socket.closed);

      promoted.onComplete(test.succeeding(d -> test.verify(() -> {
        assertThat(d.sent).contains("SSUBSCRIBE " + onA);
        assertThat(sockets.sockets.get(B).sent).contains("SSUBSCRIBE " + onB);
        assertThat(sockets.sockets.get(B).closed).isFalse();

        // Caught up only once every shard confirmed its part of the resubscribe.
        d.reply("ssubscribe", onA, "1");
        assertThat(resubscribes).isZero();
        confirmEverything();
        assertThat(resubscribes).isEqualTo(1);

        sockets.sockets.get(D).reply("smessage", onA, "after");
        assertThat(heard).containsExactly(onA + " after");
        subscriber.stop();
        assertThat(sockets.sockets.values()).allMatch(socket -> socket.closed);
        test.completeNow();
      })));
    }));
  }

  /** Confirms every SSUBSCRIBE each open socket has sent. */
  private void confirmEverything() {
    for (FakeSocket socket : sockets.sockets.values()) {
      for (String sent : List.copyOf(socket.sent)) {
        if (sent.startsWith("SSUBSCRIBE ")) {
          for (String channel : sent.substring("SSUBSCRIBE ".length()).split(" ")) {
            socket.reply("ssubscribe", channel, "1");
          }
        }
      }
    }
  }
}
