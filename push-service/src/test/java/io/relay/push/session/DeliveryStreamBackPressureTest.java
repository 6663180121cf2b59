package io.relay.push.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.Seq;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
/** A replay into a connection whose queue fills up: it waits for room within a page, not only between pages. */
class DeliveryStreamBackPressureTest {

  /** A connection whose queue counts as full after {@code room} frames until {@link #drain()}. */
  private static final class SlowSink implements DeliveryStream.Sink<Seq> {
    final List<Seq> written = new ArrayList<>();
    int room;
    private Promise<Void> drained;

    SlowSink(int room) {
      this.room = room;
    }

    @Override
    public boolean write(Seq entry, boolean live) {
      written.add(entry);
      room--;
      return true;
    }

    @Override
    public Future<Void> writable() {
      if (room > 0) {
        return Future.succeededFuture();
      }
      drained = Promise.promise();
      return drained.future();
    }

    void drain(int frames) {
      room = frames;
      drained.complete();
    }
  }

  private static List<Seq> upTo(int n) {
    List<Seq> entries = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      entries.add(new Seq(i, 0));
    }
    return entries;
  }

  private static DeliveryStream<Seq> stream(List<Seq> stored, DeliveryStream.Sink<Seq> sink, int page) {
    return new DeliveryStream<>((after, limit) -> Future.succeededFuture(
        stored.stream().filter(s -> s.isAfter(after)).limit(limit).toList()), s -> s, sink, page);
  }

  @Test
  void aReplayPausesWithinAPageWhileTheConnectionIsFull(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      SlowSink sink = new SlowSink(3);
      Future<Void> replayed = stream(upTo(10), sink, 10).start(Seq.ZERO);
      test.verify(() -> {
        assertThat(sink.written).containsExactlyElementsOf(upTo(3));
        assertThat(replayed.isComplete()).isFalse();
      });
      sink.drain(100);
      replayed.onComplete(test.succeeding(x -> test.verify(() -> {
        assertThat(sink.written).containsExactlyElementsOf(upTo(10));
        test.completeNow();
      })));
    });
  }
}
