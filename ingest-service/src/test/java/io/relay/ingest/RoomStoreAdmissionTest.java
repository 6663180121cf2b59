package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.ErrorCode;
import io.relay.service.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoomStoreAdmissionTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final RoomStoreAdmission admission = new RoomStoreAdmission(100, 500, now::get);
  /** The stores sent, in order, each completed by the test. */
  private final List<Promise<String>> sent = new ArrayList<>();

  private Future<String> post(String room) {
    return admission.admit(room, () -> {
      Promise<String> store = Promise.promise();
      sent.add(store);
      return store.future();
    });
  }

  @Test
  void aRoomNotSeenYetRunsAloneUntilItsSizeIsKnown() {
    Future<String> first = post("big");
    Future<String> second = post("big");
    assertThat(sent).hasSize(1);
    assertThat(admission.waiting()).isEqualTo(1);

    admission.learned("big", 60);
    sent.get(0).complete("one");
    assertThat(first.result()).isEqualTo("one");
    assertThat(sent).as("the next starts when the first is done").hasSize(2);
    assertThat(second.isComplete()).isFalse();
  }

  @Test
  void storesRunTogetherWhileTheirMembersFitTheBudget() {
    admission.learned("small", 30);
    admission.learned("big", 60);
    post("small");
    post("small");
    post("small");
    post("big");
    assertThat(sent).as("30 + 30 + 30 fit, 60 more does not").hasSize(3);

    sent.get(0).complete("done");
    assertThat(sent).as("still 60 + 60 > 100").hasSize(3);
    sent.get(1).complete("done");
    assertThat(sent).as("30 + 60 fit").hasSize(4);
  }

  @Test
  void aRoomBiggerThanTheBudgetStillRunsOneStoreAtATime() {
    admission.learned("huge", 1_000);
    post("huge");
    post("huge");
    assertThat(sent).hasSize(1);
    sent.get(0).fail(new IllegalStateException("redis"));
    assertThat(sent).as("a failed store frees its share too").hasSize(2);
  }

  @Test
  void aStoreThatWaitedTooLongIsRefusedUnsent() {
    admission.learned("huge", 1_000);
    post("huge");
    Future<String> late = post("huge");
    now.addAndGet(501);
    sent.get(0).complete("done");

    assertThat(sent).as("never sent").hasSize(1);
    assertThat(late.failed()).isTrue();
    assertThat(late.cause()).isInstanceOf(ApiError.class);
    assertThat(((ApiError) late.cause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(admission.waiting()).isZero();
  }

  @Test
  void aStoreThatThrowsFailsItsPostAndLetsTheNextRun() {
    Future<String> thrown = admission.admit("r", () -> {
      throw new IllegalArgumentException("bad");
    });
    assertThat(thrown.failed()).isTrue();
    post("r");
    assertThat(sent).hasSize(1);
  }
}
