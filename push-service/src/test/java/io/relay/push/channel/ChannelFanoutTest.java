package io.relay.push.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ChannelFanoutTest {

  /** A member that records what it is handed. */
  private static final class Recorder implements ChannelFanout.Member {
    final List<ChannelFrame> frames = new ArrayList<>();
    int holds;

    @Override
    public void onLive(ChannelFrame frame) {
      frames.add(frame);
    }

    @Override
    public void holdLive() {
      holds++;
    }

    @Override
    public Future<Void> catchUp() {
      return Future.succeededFuture();
    }
  }

  @Test
  void subscribesOncePerChannelAndUnsubscribesWhenTheLastMemberLeaves(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      FakeChannel.Link link = new FakeChannel.Link();
      ChannelFanout fanout = new ChannelFanout(link);
      Recorder a = new Recorder();
      Recorder b = new Recorder();
      Recorder c = new Recorder();

      fanout.join("show:1", a);
      fanout.join("show:1", b);
      fanout.join("show:2", c);
      assertThat(link.subscribes).containsExactly("show:1", "show:2");
      assertThat(fanout.channels()).isEqualTo(2);
      assertThat(fanout.subscriptions()).isEqualTo(3);

      fanout.leave("show:1", a);
      fanout.leave("show:1", a); // twice: counted once
      assertThat(link.unsubscribes).isEmpty();
      fanout.leave("show:1", b);
      fanout.leave("show:2", c);
      assertThat(link.unsubscribes).containsExactly("show:1", "show:2");
      assertThat(fanout.channels()).isZero();
      assertThat(fanout.subscriptions()).isZero();

      fanout.join("show:1", a); // a new first member subscribes again
      assertThat(link.subscribes).containsExactly("show:1", "show:2", "show:1");
      test.completeNow();
    }));
  }

  @Test
  void laterMembersWaitForTheSameArming(Vertx vertx, VertxTestContext test) {
    Checkpoint armed = test.checkpoint(2);
    vertx.runOnContext(v -> {
      FakeChannel.Link link = new FakeChannel.Link();
      link.armAtOnce = false;
      ChannelFanout fanout = new ChannelFanout(link);
      fanout.join("show:1", new Recorder()).onComplete(test.succeeding(x -> armed.flag()));
      fanout.join("show:1", new Recorder()).onComplete(test.succeeding(x -> armed.flag()));
      test.verify(() -> assertThat(link.subscribes).hasSize(1));
      link.armAll();
    });
  }

  @Test
  void aPublishedFrameIsWrappedOnceAndSharedByEveryMember(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      ChannelFanout fanout = new ChannelFanout(new FakeChannel.Link());
      List<Recorder> members = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Recorder member = new Recorder();
        members.add(member);
        fanout.join("show:1", member);
      }
      String frame = new FakeChannel.History().append(5, "sold");

      fanout.onPublished("show:1", frame);
      fanout.onPublished("show:9", frame); // nobody here wants it

      ChannelFrame first = members.get(0).frames.get(0);
      assertThat(first.offset().toString()).isEqualTo("5-0");
      assertThat(first.frame().text()).isEqualTo(frame);
      for (Recorder member : members) {
        assertThat(member.frames).hasSize(1);
        assertThat(member.frames.get(0)).isSameAs(first);
      }
      test.completeNow();
    }));
  }

  @Test
  void aTransientFrameHasNoOffset(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      ChannelFanout fanout = new ChannelFanout(new FakeChannel.Link());
      Recorder member = new Recorder();
      fanout.join("show:1", member);
      fanout.onPublished("show:1", "{\"type\":\"message\",\"channel\":\"show:1\",\"body\":1}");
      assertThat(member.frames.get(0).isStored()).isFalse();
      test.completeNow();
    }));
  }

  @Test
  void afterAnOutageEveryMemberHoldsLiveAndIsListedOnceForItsCatchUp(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      ChannelFanout fanout = new ChannelFanout(new FakeChannel.Link());
      Recorder a = new Recorder();
      Recorder both = new Recorder(); // like a held poll: one member on two channels
      fanout.join("show:1", a);
      fanout.join("show:1", both);
      fanout.join("show:2", both);
      fanout.holdAll();
      assertThat(a.holds).isEqualTo(1);
      assertThat(both.holds).isEqualTo(1);
      assertThat(fanout.members()).containsExactlyInAnyOrder(a, both);
      test.completeNow();
    }));
  }
}
