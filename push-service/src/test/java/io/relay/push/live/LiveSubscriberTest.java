package io.relay.push.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.push.live.FakeLink.FakeConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LiveSubscriberTest {

  private static final String NODE = "relay:{n:push-1}:live";
  private static final String ALICE = "relay:{u:alice}:live";
  private static final String BOB = "relay:{u:bob}:live";
  /** Long enough that the probe timer never fires during a test: the tests call probe() themselves. */
  private static final long PROBE_MS = 600_000;

  private final FakeLink link = new FakeLink();
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<String> messages = new ArrayList<>();
  private int drops;
  private int resubscribes;

  private LiveSubscriber subscriber(Vertx vertx, Checkpoint resubscribed) {
    return new LiveSubscriber(vertx, link, new LiveSubscriber.Listener() {
      @Override
      public void onMessage(String channel, String payload) {
        messages.add(channel + " " + payload);
      }

      @Override
      public void onDropped() {
        drops++;
      }

      @Override
      public void onResubscribed() {
        resubscribes++;
        if (resubscribed != null) {
          resubscribed.flag();
        }
      }
    }, PROBE_MS, clock::get);
  }

  /** Runs the test on one event loop, as the push verticle runs the subscriber. */
  private static void onLoop(Vertx vertx, VertxTestContext test, Runnable steps) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> test.verify(steps::run));
  }

  @Test
  void aChannelIsArmedWhenRedisConfirmsItAndSubscribedOnceHoweverManyHoldIt(Vertx vertx, VertxTestContext test) {
    onLoop(vertx, test, () -> {
      LiveSubscriber subscriber = subscriber(vertx, null);
      Future<Void> started = subscriber.start(List.of(NODE));
      FakeConnection connection = link.connections.get(0);
      assertThat(connection.subscribed).containsExactly(List.of(NODE));
      assertThat(started.isComplete()).isFalse();
      connection.confirm(NODE);
      assertThat(started.succeeded()).isTrue();

      Future<Void> first = subscriber.subscribe(ALICE);
      Future<Void> second = subscriber.subscribe(ALICE);
      assertThat(connection.subscribed).containsExactly(List.of(NODE), List.of(ALICE));
      assertThat(first.isComplete()).isFalse();
      assertThat(second.isComplete()).isFalse();
      connection.confirm(ALICE);
      assertThat(first.succeeded()).isTrue();
      assertThat(second.succeeded()).isTrue();
      assertThat(subscriber.subscribe(ALICE).succeeded()).isTrue();
      assertThat(subscriber.subscriptions()).isEqualTo(1);

      subscriber.unsubscribe(ALICE);
      subscriber.unsubscribe(ALICE);
      assertThat(connection.unsubscribed).isEmpty();
      subscriber.unsubscribe(ALICE);
      assertThat(connection.unsubscribed).containsExactly(List.of(ALICE));
      assertThat(subscriber.subscriptions()).isZero();

      connection.publish(NODE, "R\n...");
      assertThat(messages).containsExactly(NODE + " R\n...");
      subscriber.stop();
      test.completeNow();
    });
  }

  @Test
  void aSubscriptionDroppedBeforeItsConfirmationIsNotArmedByALateOne(Vertx vertx, VertxTestContext test) {
    onLoop(vertx, test, () -> {
      LiveSubscriber subscriber = subscriber(vertx, null);
      subscriber.start(List.of(NODE));
      FakeConnection connection = link.connections.get(0);
      connection.confirm(NODE);

      Future<Void> gone = subscriber.subscribe(BOB);
      subscriber.unsubscribe(BOB);
      Future<Void> again = subscriber.subscribe(BOB);
      assertThat(gone.failed()).isTrue();
      connection.confirm(BOB); // confirms the first SUBSCRIBE: the second is still on its way
      assertThat(again.isComplete()).isFalse();
      connection.confirm(BOB);
      assertThat(again.succeeded()).isTrue();
      subscriber.stop();
      test.completeNow();
    });
  }

  /**
   * Issue 11: a second drop after the reconnect but before the resubscribe is confirmed must not
   * take anyone out of the catch-up. The catch-up is node-wide and owed until one resubscribe is
   * confirmed in full, however many drops come first.
   */
  @Test
  void aSecondDropBeforeTheResubscribeIsConfirmedStillEndsInOneCatchUp(Vertx vertx, VertxTestContext test) {
    Checkpoint resubscribed = test.checkpoint();
    Checkpoint done = test.checkpoint();
    onLoop(vertx, test, () -> {
      LiveSubscriber subscriber = subscriber(vertx, resubscribed);
      subscriber.start(List.of(NODE));
      link.connections.get(0).confirm(NODE);
      subscriber.subscribe(ALICE);
      link.connections.get(0).confirm(ALICE);

      link.connections.get(0).drop();
      assertThat(drops).isEqualTo(1);
      link.connection(1).compose(reconnected -> {
        assertThat(reconnected.subscribed).containsExactly(List.of(NODE, ALICE));
        Future<Void> secondDevice = subscriber.subscribe(ALICE); // waits: ALICE is not confirmed again yet
        reconnected.confirm(NODE);
        assertThat(resubscribes).isZero();
        reconnected.drop(); // the second drop, before ALICE is confirmed
        assertThat(drops).isEqualTo(2);
        assertThat(secondDevice.isComplete()).isFalse();
        return link.connection(2).map(last -> {
          assertThat(last.subscribed).containsExactly(List.of(NODE, ALICE));
          last.confirm(NODE);
          assertThat(resubscribes).isZero();
          last.confirm(ALICE);
          assertThat(resubscribes).isEqualTo(1);
          assertThat(secondDevice.succeeded()).isTrue();
          assertThat(subscriber.reconnects()).isEqualTo(2);
          return subscriber;
        });
      }).onComplete(test.succeeding(s -> test.verify(() -> {
        s.stop();
        done.flag();
      })));
    });
  }

  @Test
  void aLinkThatStaysSilentForThreeProbesIsReplaced(Vertx vertx, VertxTestContext test) {
    Checkpoint resubscribed = test.checkpoint();
    Checkpoint done = test.checkpoint();
    onLoop(vertx, test, () -> {
      LiveSubscriber subscriber = subscriber(vertx, resubscribed);
      subscriber.start(List.of(NODE));
      FakeConnection silent = link.connections.get(0);
      silent.confirm(NODE);

      subscriber.probe();
      assertThat(silent.probes).isEqualTo(1);
      clock.addAndGet(2 * PROBE_MS);
      silent.answerProbe();
      clock.addAndGet(LiveSubscriber.SILENT_PROBES * PROBE_MS);
      subscriber.probe(); // silent for exactly three intervals: probed again
      assertThat(silent.probes).isEqualTo(2);
      assertThat(silent.closed).isFalse();

      clock.incrementAndGet();
      subscriber.probe();
      assertThat(silent.closed).isTrue();
      assertThat(drops).isEqualTo(1);
      silent.publish(NODE, "late"); // from the replaced connection: ignored
      assertThat(messages).isEmpty();

      link.connection(1).onComplete(test.succeeding(fresh -> test.verify(() -> {
        fresh.confirm(NODE);
        assertThat(resubscribes).isEqualTo(1);
        assertThat(subscriber.reconnects()).isEqualTo(1);
        fresh.publish(NODE, "fresh");
        assertThat(messages).containsExactly(NODE + " fresh");
        subscriber.stop();
        done.flag();
      })));
    });
  }
}
