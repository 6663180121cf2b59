package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendQueueTest {

  private final List<Promise<Void>> writes = new ArrayList<>();

  private boolean write(SendQueue queue, int bytes) {
    Promise<Void> write = Promise.promise();
    writes.add(write);
    return queue.track(write.future(), bytes);
  }

  @Test
  void passingTheFrameBoundIsReported() {
    SendQueue queue = new SendQueue(3, 1_000_000);

    assertThat(write(queue, 10)).isTrue();
    assertThat(write(queue, 10)).isTrue();
    assertThat(write(queue, 10)).isTrue();
    assertThat(write(queue, 10)).isFalse();
  }

  @Test
  void passingTheByteBoundIsReportedWhateverTheFrameCount() {
    SendQueue queue = new SendQueue(1000, 1000);

    assertThat(write(queue, 600)).isTrue();
    assertThat(write(queue, 400)).isTrue();
    assertThat(write(queue, 1)).isFalse();
    assertThat(queue.frames()).isEqualTo(3);
    assertThat(queue.bytes()).isEqualTo(1001);
  }

  @Test
  void writtenFramesAndBytesLeaveTheCount() {
    SendQueue queue = new SendQueue(1000, 1000);
    write(queue, 600);
    write(queue, 300);

    writes.get(0).complete();
    assertThat(queue.frames()).isEqualTo(1);
    assertThat(queue.bytes()).isEqualTo(300);
    writes.get(1).fail("connection reset");
    assertThat(queue.frames()).isZero();
    assertThat(queue.bytes()).isZero();
    assertThat(write(queue, 1000)).isTrue();
  }

  @Test
  void writableWaitsUntilBothCountsAreAtMostHalfTheirBound() {
    SendQueue queue = new SendQueue(4, 1000);
    write(queue, 100);
    write(queue, 100);
    write(queue, 700);

    Future<Void> writable = queue.writable();
    assertThat(writable.isComplete()).isFalse();
    writes.get(0).complete(); // 2 frames, 800 bytes: frames at half, bytes not
    assertThat(writable.isComplete()).isFalse();
    writes.get(2).complete(); // 1 frame, 100 bytes
    assertThat(writable.succeeded()).isTrue();
    assertThat(queue.writable().succeeded()).isTrue();
  }

  @Test
  void closingReleasesAWaitingReplay() {
    SendQueue queue = new SendQueue(2, 1000);
    write(queue, 10);
    write(queue, 10);
    Future<Void> writable = queue.writable();

    queue.close();

    assertThat(writable.succeeded()).isTrue();
  }

  @Test
  void aBatchWrittenAtOnceGivesBackAllItsFramesAndBytes() {
    SendQueue queue = new SendQueue(3, 1000);
    assertThat(queue.queued(100)).isTrue();
    assertThat(queue.queued(200)).isTrue();
    assertThat(queue.queued(300)).isTrue();
    Future<Void> writable = queue.writable();

    queue.written(3, 600);

    assertThat(queue.frames()).isZero();
    assertThat(queue.bytes()).isZero();
    assertThat(writable.succeeded()).isTrue();
  }
}
