package io.relay.push.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeliveryStreamTest {

  /** A log whose reads either answer at once or wait until the test answers them. */
  private static final class FakeLog implements DeliveryStream.Log<LogEntry> {
    final TreeMap<Seq, LogEntry> entries = new TreeMap<>();
    final Deque<Runnable> held = new ArrayDeque<>();
    boolean holdReads;
    boolean failReads;
    int reads;

    LogEntry add(long millis) {
      LogEntry entry = new LogEntry(Seq.parse(millis + "-0"), "{\"type\":\"message\",\"id\":\"m" + millis + "\"}");
      entries.put(entry.seq(), entry);
      return entry;
    }

    @Override
    public Future<List<LogEntry>> after(Seq after, int limit) {
      reads++;
      if (failReads) {
        return Future.failedFuture("log unreachable");
      }
      Promise<List<LogEntry>> read = Promise.promise();
      // The page is what the log holds when the read runs, as with Redis.
      List<LogEntry> page = entries.tailMap(after, false).values().stream().limit(limit).toList();
      if (holdReads) {
        held.add(() -> read.complete(page));
      } else {
        read.complete(page);
      }
      return read.future();
    }

    void answerHeldRead() {
      held.poll().run();
    }
  }

  private static final class Recorder implements DeliveryStream.Sink<LogEntry> {
    final List<String> delivered = new ArrayList<>();
    int refuseAfter = Integer.MAX_VALUE;

    @Override
    public boolean write(LogEntry entry, boolean live) {
      delivered.add(entry.seq().toString());
      return delivered.size() < refuseAfter;
    }

    @Override
    public Future<Void> writable() {
      return Future.succeededFuture();
    }
  }

  private final FakeLog log = new FakeLog();
  private final Recorder sink = new Recorder();

  @Test
  void replaysFromTheCursorThenDeliversLiveEntriesOnce() {
    log.add(1);
    log.add(2);
    log.add(3);
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 10);

    assertThat(stream.start(Seq.parse("1-0")).succeeded()).isTrue();
    stream.onLive(log.add(4));
    stream.onLive(log.entries.get(Seq.parse("4-0")));
    stream.onLive(log.entries.get(Seq.parse("3-0")));

    assertThat(sink.delivered).containsExactly("2-0", "3-0", "4-0");
    assertThat(stream.last()).isEqualTo(Seq.parse("4-0"));
  }

  @Test
  void replayReadsPageAfterPage() {
    for (int i = 1; i <= 5; i++) {
      log.add(i);
    }
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 2);

    stream.start(Seq.ZERO);

    assertThat(sink.delivered).containsExactly("1-0", "2-0", "3-0", "4-0", "5-0");
    assertThat(log.reads).isEqualTo(3);
  }

  @Test
  void anEntryPublishedDuringTheReplayIsReadFromTheLogNotLostOrRepeated() {
    log.add(1);
    log.holdReads = true;
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 10);
    Future<Void> started = stream.start(Seq.ZERO);

    LogEntry second = log.add(2); // stored after the read ran: not in its page
    stream.onLive(second);
    log.answerHeldRead();
    assertThat(sink.delivered).containsExactly("1-0");
    assertThat(started.isComplete()).isFalse();

    log.answerHeldRead(); // the replay was dirty: it reads once more
    assertThat(started.succeeded()).isTrue();
    stream.onLive(second);
    assertThat(sink.delivered).containsExactly("1-0", "2-0");
  }

  @Test
  void aFailedCatchUpHoldsLiveEntriesBackUntilACatchUpReads() {
    log.add(1);
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 10);
    stream.start(Seq.ZERO);
    log.add(2); // published while the pub/sub link was down

    log.failReads = true;
    assertThat(stream.catchUp().failed()).isTrue();
    stream.onLive(log.add(3)); // would skip 2: held back
    assertThat(sink.delivered).containsExactly("1-0");

    log.failReads = false;
    assertThat(stream.catchUp().succeeded()).isTrue();
    assertThat(sink.delivered).containsExactly("1-0", "2-0", "3-0");
    stream.onLive(log.add(4));
    assertThat(sink.delivered).containsExactly("1-0", "2-0", "3-0", "4-0");
  }

  @Test
  void aCatchUpDuringAReplayMakesTheReplayReadAgainInsteadOfRunningBesideIt() {
    log.holdReads = true;
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 10);
    Future<Void> started = stream.start(Seq.ZERO);

    assertThat(stream.catchUp().succeeded()).isTrue();
    assertThat(log.reads).isEqualTo(1);
    log.add(1);
    log.answerHeldRead();
    log.answerHeldRead();

    assertThat(started.succeeded()).isTrue();
    assertThat(sink.delivered).containsExactly("1-0");
  }

  @Test
  void aConnectionThatRefusesAFrameStopsTheStream() {
    log.add(1);
    log.add(2);
    log.add(3);
    sink.refuseAfter = 2;
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 10);

    stream.start(Seq.ZERO);
    stream.onLive(log.add(4));

    assertThat(sink.delivered).containsExactly("1-0", "2-0");
  }

  @Test
  void nothingIsDeliveredAfterStop() {
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 10);
    stream.start(Seq.ZERO);

    stream.stop();
    stream.onLive(log.add(1));

    assertThat(sink.delivered).isEmpty();
    assertThat(stream.catchUp().succeeded()).isTrue();
    assertThat(sink.delivered).isEmpty();
  }

  @Test
  void aHeldStreamDeliversNothingLiveUntilItsCatchUpHasReadTheLog() {
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 10);
    stream.start(Seq.ZERO);

    stream.hold(); // the pub/sub link dropped
    log.add(1); // published while it was down
    stream.onLive(log.add(2)); // arrives after the resubscribe, before the catch-up
    assertThat(sink.delivered).isEmpty();

    assertThat(stream.catchUp().succeeded()).isTrue();
    assertThat(sink.delivered).containsExactly("1-0", "2-0");
    stream.onLive(log.add(3));
    assertThat(sink.delivered).containsExactly("1-0", "2-0", "3-0");
  }

  @Test
  void aReplayRunningWhenTheLinkDropsDoesNotGoLiveAfterwards() {
    log.holdReads = true;
    DeliveryStream<LogEntry> stream = new DeliveryStream<>(log, LogEntry::seq, sink, 10);
    Future<Void> started = stream.start(Seq.ZERO);

    stream.hold();
    log.answerHeldRead();
    assertThat(started.succeeded()).isTrue();
    log.add(1);
    stream.onLive(log.add(2));
    assertThat(sink.delivered).isEmpty();

    log.holdReads = false;
    stream.catchUp();
    assertThat(sink.delivered).containsExactly("1-0", "2-0");
  }
}
