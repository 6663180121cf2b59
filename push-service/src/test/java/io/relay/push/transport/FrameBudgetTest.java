package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FrameBudgetTest {

  private final AtomicLong clock = new AtomicLong(5_000);

  private static long taken(FrameBudget budget, int tries) {
    return IntStream.range(0, tries).filter(i -> budget.take()).count();
  }

  @Test
  void aSecondsWorthAtOnceThenNothingUntilTimePasses() {
    FrameBudget budget = new FrameBudget(50, clock::get);
    assertThat(taken(budget, 80)).isEqualTo(50);
    assertThat(budget.take()).isFalse();

    clock.addAndGet(100); // a tenth of a second: five more
    assertThat(taken(budget, 10)).isEqualTo(5);
  }

  @Test
  void refillsNoFurtherThanOneSecondsWorth() {
    FrameBudget budget = new FrameBudget(10, clock::get);
    taken(budget, 10);
    clock.addAndGet(60_000);
    assertThat(taken(budget, 100)).isEqualTo(10);
  }

  @Test
  void aClockThatGoesBackGivesNothingExtra() {
    FrameBudget budget = new FrameBudget(10, clock::get);
    taken(budget, 10);
    clock.addAndGet(-1_000);
    assertThat(budget.take()).isFalse();
  }

  @Test
  void zeroMeansNoLimit() {
    FrameBudget budget = new FrameBudget(0, clock::get);
    assertThat(taken(budget, 10_000)).isEqualTo(10_000);
  }
}
