package io.relay.push.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.ErrorCode;
import io.relay.service.ApiError;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetupGateTest {

  @Test
  void runsAtMostConcurrencyAndServesTheRestInArrivalOrder() {
    SetupGate gate = new SetupGate(2, 10);
    List<Integer> started = new ArrayList<>();
    List<SetupGate.Permit> permits = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      gate.enter(() -> false).onSuccess(permit -> {
        started.add(n);
        permits.add(permit);
      });
    }
    assertThat(started).containsExactly(0, 1);
    assertThat(gate.waiting()).isEqualTo(3);

    permits.get(1).release();
    assertThat(started).containsExactly(0, 1, 2);
    permits.get(0).release();
    permits.get(2).release();
    assertThat(started).containsExactly(0, 1, 2, 3, 4);
    assertThat(gate.running()).isEqualTo(2);
    assertThat(gate.waiting()).isZero();
  }

  @Test
  void releasingTwiceFreesOneTurnOnly() {
    SetupGate gate = new SetupGate(1, 10);
    SetupGate.Permit first = gate.enter(() -> false).result();
    Future<SetupGate.Permit> second = gate.enter(() -> false);
    Future<SetupGate.Permit> third = gate.enter(() -> false);

    first.release();
    first.release();

    assertThat(second.succeeded()).isTrue();
    assertThat(third.isComplete()).isFalse();
    assertThat(gate.running()).isEqualTo(1);
  }

  @Test
  void refusesWithUnavailableOnceTheQueueIsFull() {
    SetupGate gate = new SetupGate(1, 1);
    gate.enter(() -> false);
    Future<SetupGate.Permit> queued = gate.enter(() -> false);
    Future<SetupGate.Permit> refused = gate.enter(() -> false);

    assertThat(queued.isComplete()).isFalse();
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOfSatisfying(ApiError.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThat(gate.refused()).isEqualTo(1);
  }

  @Test
  void skipsWaitersWhoseClientLeft() {
    SetupGate gate = new SetupGate(1, 10);
    SetupGate.Permit first = gate.enter(() -> false).result();
    Future<SetupGate.Permit> gone = gate.enter(() -> true);
    Future<SetupGate.Permit> next = gate.enter(() -> false);

    first.release();

    assertThat(gone.cause()).isInstanceOf(SetupGate.Abandoned.class);
    assertThat(next.succeeded()).isTrue();
    assertThat(gate.running()).isEqualTo(1);
  }

  @Test
  void aTurnReleasedWhileTheNextStartsKeepsTheCountRight() {
    SetupGate gate = new SetupGate(1, 10);
    SetupGate.Permit first = gate.enter(() -> false).result();
    gate.enter(() -> false).onSuccess(SetupGate.Permit::release); // a set-up that ends at once
    Future<SetupGate.Permit> last = gate.enter(() -> false);

    first.release();

    assertThat(last.succeeded()).isTrue();
    assertThat(gate.running()).isEqualTo(1);
    assertThat(gate.waiting()).isZero();
  }
}
