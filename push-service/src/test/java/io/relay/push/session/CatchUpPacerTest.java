package io.relay.push.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.CloseCode;
import io.relay.model.LogEntry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CatchUpPacerTest {

  private static final int CONCURRENCY = 3;

  private int running;

  /** A session whose catch-up read takes a moment and fails {@code failures} times first. */
  private final class ReadingSession implements Session {
    private final Vertx vertx;
    private final String uid;
    private final VertxTestContext test;
    private final Checkpoint caughtUp;
    private int failures;

    ReadingSession(Vertx vertx, VertxTestContext test, String uid, int failures, Checkpoint caughtUp) {
      this.vertx = vertx;
      this.test = test;
      this.uid = uid;
      this.failures = failures;
      this.caughtUp = caughtUp;
    }

    @Override
    public String uid() {
      return uid;
    }

    @Override
    public String connectionId() {
      return uid;
    }

    @Override
    public void onLive(LogEntry entry) {
    }

    @Override
    public Future<Void> catchUp() {
      if (++running > CONCURRENCY) {
        test.failNow("more than " + CONCURRENCY + " catch-ups at once");
      }
      Promise<Void> read = Promise.promise();
      vertx.setTimer(2, id -> {
        running--;
        if (failures-- > 0) {
          read.fail("log unreachable");
        } else {
          caughtUp.flag();
          read.complete();
        }
      });
      return read.future();
    }

    @Override
    public Future<Void> close(CloseCode code) {
      throw new AssertionError("a catch-up never closes the client");
    }
  }

  @Test
  void catchesEverySessionUpOnceWithBoundedConcurrencyRetryingFailedReads(Vertx vertx, VertxTestContext test) {
    int sessions = 40;
    Checkpoint caughtUp = test.checkpoint(sessions);
    vertx.getOrCreateContext().runOnContext(v -> {
      CatchUpPacer pacer = new CatchUpPacer(vertx, CONCURRENCY, 5);
      List<Session> all = new ArrayList<>();
      IntStream.range(0, sessions)
          .forEach(i -> all.add(new ReadingSession(vertx, test, "u" + i, i % 10 == 0 ? 2 : 0, caughtUp)));
      pacer.catchUp(all);
      pacer.catchUp(all.subList(30, 40)); // still queued: asked once more, run once
      test.verify(() -> assertThat(pacer.pending()).isEqualTo(sessions));
    });
  }
}
