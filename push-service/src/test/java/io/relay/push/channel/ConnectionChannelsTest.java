package io.relay.push.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.ChannelPatterns;
import io.relay.model.Seq;
import io.relay.service.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ConnectionChannelsTest {

  private static final Identity SHOW_WATCHER = new Identity("bob", Long.MAX_VALUE,
      new ChannelPatterns(List.of("show:*")), ChannelPatterns.NONE);

  private final FakeChannel.Link link = new FakeChannel.Link();
  private final ChannelFanout fanout = new ChannelFanout(link);
  private final FakeChannel.History history = new FakeChannel.History();
  private final FakeChannel.Sink sink = new FakeChannel.Sink();

  private Vertx vertx;

  @BeforeEach
  void keep(Vertx vertx) {
    this.vertx = vertx;
  }

  private ConnectionChannels connection(int maxChannels) {
    return new ConnectionChannels(vertx, fanout, history, SHOW_WATCHER, sink,
        new ConnectionChannels.Settings(maxChannels, 2, 1_000));
  }

  private static JsonObject subscribe(String channel) {
    return new JsonObject().put("type", "subscribe").put("channel", channel);
  }

  @Test
  void withoutSinceAnswersTheNewestOffsetAndDeliversOnlyWhatComesAfter(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      String old = history.append(1, "before");
      connection(10).subscribe("show:1", null).onComplete(test.succeeding(x -> test.verify(() -> {
        assertThat(sink.replies).containsExactly(new JsonObject()
            .put("type", "subscribed").put("channel", "show:1").put("offset", "1-0").put("recovered", true));
        fanout.onPublished("show:1", old); // a late repeat of what came before
        fanout.onPublished("show:1", history.append(2, "a"));
        fanout.onPublished("show:1", history.append(3, "b"));
        assertThat(sink.bodies()).containsExactly("a", "b");
        test.completeNow();
      })));
    });
  }

  @Test
  void anEmptyChannelAnswersANullOffset(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> connection(10).subscribe("show:1", null)
        .onComplete(test.succeeding(x -> test.verify(() -> {
          assertThat(sink.lastReply().containsKey("offset")).isTrue();
          assertThat(sink.lastReply().getValue("offset")).isNull();
          fanout.onPublished("show:1", history.append(1, "first"));
          assertThat(sink.bodies()).containsExactly("first");
          test.completeNow();
        }))));
  }

  @Test
  void sinceReplaysInPagesThenGoesLiveWithoutRepeats(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      for (int i = 1; i <= 5; i++) {
        history.append(i, "m" + i);
      }
      connection(10).subscribe("show:1", new Seq(1, 0)).onComplete(test.succeeding(x -> test.verify(() -> {
        assertThat(sink.replies.get(0).getString("offset")).isEqualTo("5-0");
        assertThat(sink.bodies()).containsExactly("m2", "m3", "m4", "m5");
        fanout.onPublished("show:1", history.entries.get(4).frame()); // m5 again
        fanout.onPublished("show:1", history.append(6, "m6"));
        assertThat(sink.bodies()).containsExactly("m2", "m3", "m4", "m5", "m6");
        test.completeNow();
      })));
    });
  }

  @Test
  void liveMessagesDuringTheReplayAreReadAgainNotLostOrRepeated(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      history.append(1, "m1");
      history.append(2, "m2");
      history.holdReads = true;
      connection(10).subscribe("show:1", Seq.ZERO).onComplete(test.succeeding(x -> test.verify(() -> {
        fanout.onPublished("show:1", history.append(5, "m5"));
        assertThat(sink.bodies()).containsExactly("m1", "m2", "m3", "m4", "m5");
        test.completeNow();
      })));
      // The first page is being read; meanwhile two messages are stored and published.
      fanout.onPublished("show:1", history.append(3, "m3"));
      fanout.onPublished("show:1", history.append(4, "m4"));
      history.releaseRead(); // page m1, m2 (full: reads on)
      history.releaseRead(); // page m3, m4 (full: reads on)
      history.releaseRead(); // empty page: live
    });
  }

  @Test
  void recoveredIsFalseWhenTheHistoryNoLongerReachesSince(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      history.append(7, "m7");
      history.recovers = false;
      connection(10).subscribe("show:1", new Seq(1, 0)).onComplete(test.succeeding(x -> test.verify(() -> {
        assertThat(sink.replies.get(0).getBoolean("recovered")).isFalse();
        assertThat(sink.bodies()).containsExactly("m7");
        test.completeNow();
      })));
    });
  }

  @Test
  void subscribingTwiceAnswersAgainAndDeliversOnce(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      ConnectionChannels channels = connection(10);
      channels.handle(subscribe("show:1"));
      channels.subscribe("show:1", null).onComplete(test.succeeding(x -> test.verify(() -> {
        assertThat(sink.replies).extracting(r -> r.getString("type")).containsExactly("subscribed", "subscribed");
        assertThat(fanout.subscriptions()).isEqualTo(1);
        fanout.onPublished("show:1", history.append(1, "once"));
        assertThat(sink.bodies()).containsExactly("once");
        test.completeNow();
      })));
    });
  }

  @Test
  void aChannelTheTokenDoesNotGrantIsRefusedAndNothingIsSubscribed(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      connection(10).handle(subscribe("staff:1"));
      assertThat(sink.lastReply().getString("type")).isEqualTo("error");
      assertThat(sink.lastReply().getString("code")).isEqualTo("forbidden");
      assertThat(sink.lastReply().getString("channel")).isEqualTo("staff:1");
      assertThat(link.subscribes).isEmpty();
      test.completeNow();
    }));
  }

  @Test
  void malformedFramesAreAnsweredWithErrors(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      ConnectionChannels channels = connection(10);
      channels.handle(new JsonObject().put("type", "subscribe"));
      assertThat(sink.lastReply().getString("code")).isEqualTo("bad_frame");
      channels.handle(subscribe("show 1"));
      assertThat(sink.lastReply().getString("code")).isEqualTo("invalid_field");
      assertThat(sink.lastReply().getString("channel")).isEqualTo("show 1");
      channels.handle(subscribe("show:1").put("since", "yesterday"));
      assertThat(sink.lastReply().getString("code")).isEqualTo("invalid_field");
      assertThat(link.subscribes).isEmpty();
      test.completeNow();
    }));
  }

  @Test
  void beyondTheLimitIsRateLimited(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      ConnectionChannels channels = connection(2);
      channels.handle(subscribe("show:1"));
      channels.handle(subscribe("show:2"));
      channels.handle(subscribe("show:3"));
      assertThat(sink.lastReply().getString("code")).isEqualTo("rate_limited");
      assertThat(sink.lastReply().getString("channel")).isEqualTo("show:3");
      assertThat(channels.channels()).containsExactly("show:1", "show:2");
      channels.handle(new JsonObject().put("type", "unsubscribe").put("channel", "show:1"));
      channels.handle(subscribe("show:3")); // room again
      assertThat(channels.channels()).containsExactly("show:2", "show:3");
      test.completeNow();
    }));
  }

  @Test
  void unsubscribeStopsDeliveryAndAnswers(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      ConnectionChannels channels = connection(10);
      channels.subscribe("show:1", null).onComplete(test.succeeding(x -> test.verify(() -> {
        channels.handle(new JsonObject().put("type", "unsubscribe").put("channel", "show:1"));
        assertThat(sink.lastReply()).isEqualTo(new JsonObject().put("type", "unsubscribed").put("channel", "show:1"));
        fanout.onPublished("show:1", history.append(1, "late"));
        assertThat(sink.delivered).isEmpty();
        assertThat(link.unsubscribes).containsExactly("show:1");
        test.completeNow();
      })));
    });
  }

  @Test
  void closingTheConnectionReleasesEverySubscriptionEvenWhileArming(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      link.armAtOnce = false;
      ConnectionChannels channels = connection(10);
      ConnectionChannels other = connection(10);
      channels.handle(subscribe("show:1"));
      channels.handle(subscribe("show:2"));
      other.handle(subscribe("show:2"));
      channels.releaseAll();
      assertThat(link.unsubscribes).containsExactly("show:1");
      assertThat(fanout.subscriptions()).isEqualTo(1);
      other.releaseAll();
      assertThat(fanout.subscriptions()).isZero();
      assertThat(fanout.channels()).isZero();
      link.armAll(); // arming after the close sends nothing
      assertThat(sink.replies).isEmpty();
      test.completeNow();
    }));
  }

  @Test
  void transientFramesGoOutOnlyOnceSubscribed(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> test.verify(() -> {
      link.armAtOnce = false;
      connection(10).handle(subscribe("show:1"));
      String transientFrame = "{\"type\":\"message\",\"channel\":\"show:1\",\"body\":\"now\"}";
      fanout.onPublished("show:1", transientFrame);
      assertThat(sink.delivered).isEmpty();
      link.armAll();
      fanout.onPublished("show:1", transientFrame);
      assertThat(sink.bodies()).containsExactly("now");
      test.completeNow();
    }));
  }

  @Test
  void afterAPubSubOutageLiveWaitsForTheCatchUpSoNothingMissedIsSkipped(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      history.append(1, "m1");
      connection(10).subscribe("show:1", null).onComplete(test.succeeding(x -> {
        fanout.holdAll(); // the link dropped
        history.append(2, "m2"); // published while it was down: never seen live
        fanout.onPublished("show:1", history.append(3, "m3")); // seen live once it is back
        test.verify(() -> assertThat(sink.bodies()).isEmpty());
        fanout.members().get(0).catchUp().onComplete(test.succeeding(y -> test.verify(() -> {
          fanout.onPublished("show:1", history.append(4, "m4"));
          assertThat(sink.bodies()).containsExactly("m2", "m3", "m4");
          test.completeNow();
        })));
      }));
    });
  }
}
