package io.relay.push.live;

import static io.relay.push.live.Shards.A;
import static io.relay.push.live.Shards.B;
import static io.relay.push.live.Shards.C;
import static io.relay.push.live.Shards.THREE;
import static io.relay.push.live.Shards.userOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.HashSlot;
import io.relay.model.RedisKeys;
import io.relay.push.live.FakeShardSockets.FakeSocket;
import io.relay.service.ShardMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardedConnectionTest {

  private static final String PROBE = "UNSUBSCRIBE " + RedisPubSubLink.PROBE_CHANNEL;
  private final String onA = RedisKeys.liveChannel(userOn(A, 0));
  private final String onB = RedisKeys.liveChannel(userOn(B, 0));
  private final String onC = RedisKeys.liveChannel(userOn(C, 0));
  private final FakeShardSockets sockets = new FakeShardSockets();
  private final List<String> events = new ArrayList<>();
  private final ShardedConnection connection = new ShardedConnection(THREE, sockets, new RecordingEvents(events));

  @Test
  void subscribesEachChannelOnThePrimaryOfItsSlotOnly() {
    connection.subscribe(List.of(onA, onB, onC));
    connection.subscribe(List.of(RedisKeys.liveChannel(userOn(B, 1))));

    assertThat(sockets.sockets).containsOnlyKeys(A, B, C);
    assertThat(sockets.sockets.get(A).sent).containsExactly("SSUBSCRIBE " + onA);
    assertThat(sockets.sockets.get(B).sent)
        .containsExactly("SSUBSCRIBE " + onB, "SSUBSCRIBE " + RedisKeys.liveChannel(userOn(B, 1)));
    assertThat(sockets.sockets.get(C).sent).containsExactly("SSUBSCRIBE " + onC);
  }

  @Test
  void opensNoConnectionToAPrimaryNoChannelNeeds() {
    connection.subscribe(List.of(onB));

    assertThat(sockets.sockets).containsOnlyKeys(B);
    assertThat(connection.shards()).isEqualTo(1);
  }

  @Test
  void leavingAChannelOpensNoConnection() {
    connection.subscribe(List.of(onA));
    connection.unsubscribe(List.of(onB));

    assertThat(sockets.sockets).containsOnlyKeys(A);
  }

  @Test
  void passesMessagesAndConfirmationsOfEveryShardOn() {
    connection.subscribe(List.of(onA, onC));

    sockets.sockets.get(A).reply("ssubscribe", onA, "1");
    sockets.sockets.get(C).reply("ssubscribe", onC, "1");
    sockets.sockets.get(C).reply("smessage", onC, "hello");
    sockets.sockets.get(A).reply("smessage", onA, "hi");

    assertThat(events).containsExactly("subscribed " + onA, "subscribed " + onC, "message " + onC + " hello",
        "message " + onA + " hi");
  }

  @Test
  void anUnsubscribeAskedForIsNoLoss() {
    connection.subscribe(List.of(onA));
    connection.unsubscribe(List.of(onA));

    sockets.sockets.get(A).reply("ssubscribe", onA, "1");
    sockets.sockets.get(A).reply("sunsubscribe", onA, "0");

    assertThat(sockets.sockets.get(A).sent).containsExactly("SSUBSCRIBE " + onA, "SUNSUBSCRIBE " + onA);
    assertThat(events).containsExactly("subscribed " + onA);
  }

  @Test
  void aSlotMovedAwayEndsEveryShardConnectionOnce() {
    connection.subscribe(List.of(onA, onB));
    sockets.sockets.get(A).reply("ssubscribe", onA, "1");

    sockets.sockets.get(A).reply("sunsubscribe", onA, "0"); // sent by Redis: the slot moved
    sockets.sockets.get(B).reply("smessage", onB, "late");
    sockets.sockets.get(B).lost.accept("connection closed");

    assertThat(events).containsExactly("subscribed " + onA, "lost");
    assertThat(sockets.sockets.values()).allMatch(socket -> socket.closed);
  }

  @Test
  void aMovedReplyEndsTheConnection() {
    connection.subscribe(List.of(onA));

    sockets.sockets.get(A).reply("error", null, "MOVED 1234 10.0.0.4:7003");

    assertThat(events).containsExactly("lost");
    assertThat(sockets.sockets.get(A).closed).isTrue();
  }

  @Test
  void aShardConnectionLostEndsTheConnection() {
    connection.subscribe(List.of(onA, onB));

    sockets.sockets.get(B).lost.accept("connection reset");

    assertThat(events).containsExactly("lost");
    assertThat(sockets.sockets.get(A).closed).isTrue();
  }

  @Test
  void anUnreachablePrimaryEndsTheConnection() {
    sockets.unreachable = Set.of(C);

    connection.subscribe(List.of(onA, onC));

    assertThat(events).containsExactly("lost");
    assertThat(sockets.sockets.get(A).closed).isTrue();
  }

  @Test
  void aChannelOfAnUnservedSlotEndsTheConnection() {
    ShardedConnection partial = new ShardedConnection(ShardMap.of(List.of(new ShardMap.Range(0, 5460, A))), sockets,
        new RecordingEvents(events));

    partial.subscribe(List.of(onC));

    assertThat(events).containsExactly("lost");
  }

  @Test
  void theProbeIsAnsweredOnceEveryShardAnswered() {
    connection.subscribe(List.of(onA, onB));

    connection.probe();
    FakeSocket a = sockets.sockets.get(A);
    FakeSocket b = sockets.sockets.get(B);
    assertThat(a.sent).endsWith(PROBE);
    assertThat(b.sent).endsWith(PROBE);
    a.reply("unsubscribe", RedisPubSubLink.PROBE_CHANNEL, "0");
    assertThat(events).isEmpty();
    b.reply("unsubscribe", RedisPubSubLink.PROBE_CHANNEL, "0");

    assertThat(events).containsExactly("probe answered");
  }

  @Test
  void aShardSilentForThreeProbesEndsTheConnectionWhileOthersTalk() {
    connection.subscribe(List.of(onA, onB));

    for (int i = 0; i < ShardedConnection.SILENT_PROBES; i++) {
      connection.probe();
      sockets.sockets.get(A).reply("unsubscribe", RedisPubSubLink.PROBE_CHANNEL, "0");
    }
    assertThat(events).doesNotContain("lost");
    connection.probe();

    assertThat(events).endsWith("lost");
    assertThat(sockets.sockets.values()).allMatch(socket -> socket.closed);
  }

  @Test
  void closeEndsEveryShardWithoutReportingALoss() {
    connection.subscribe(List.of(onA, onB, onC));

    connection.close();
    sockets.sockets.get(A).lost.accept("connection closed");

    assertThat(sockets.sockets.values()).allMatch(socket -> socket.closed);
    assertThat(events).isEmpty();
  }

  /** Each event as a line in {@code events}. */
  private record RecordingEvents(List<String> events) implements PubSubLink.Events {
    @Override
    public void onMessage(String channel, String payload) {
      events.add("message " + channel + " " + payload);
    }

    @Override
    public void onSubscribed(String channel) {
      events.add("subscribed " + channel);
    }

    @Override
    public void onProbeAnswered() {
      events.add("probe answered");
    }

    @Override
    public void onLost(String why) {
      events.add("lost");
    }
  }

  @Test
  void channelsOfOnePrimaryShareAnSsubscribeOnlyWhenTheyShareASlot() {
    String first = RedisKeys.liveChannel(userOn(A, 0));
    String second = RedisKeys.liveChannel(userOn(A, 1));
    String sameSlot = first.replace(":live", ":other"); // same hash tag: same slot

    List<List<String>> groups = List.copyOf(ShardedConnection.bySlot(List.of(first, second, sameSlot)));

    assertThat(groups).hasSize(HashSlot.of(first) == HashSlot.of(second) ? 1 : 2);
    assertThat(groups.get(0)).contains(first, sameSlot);
  }
}
