package io.relay.push.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TickWheelTest {

  @Test
  void visitsEveryMemberEachPeriodAndForgetsRemovedOnes(Vertx vertx, VertxTestContext test) throws Exception {
    Map<Integer, AtomicInteger> visits = new ConcurrentHashMap<>();
    AtomicInteger removedVisits = new AtomicInteger();
    vertx.runOnContext(v -> {
      TickWheel wheel = new TickWheel(vertx, 80);
      for (int i = 0; i < 20; i++) {
        int member = i;
        visits.put(member, new AtomicInteger());
        wheel.add(now -> {
          visits.get(member).incrementAndGet();
          if (visits.values().stream().allMatch(n -> n.get() >= 3)) {
            test.completeNow();
          }
        });
      }
      TickWheel.Ticking removed = now -> removedVisits.incrementAndGet();
      wheel.remove(removed, wheel.add(removed));
      assertThat(wheel.size()).isEqualTo(20);
    });
    assertThat(test.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    assertThat(removedVisits.get()).isZero();
  }

  @Test
  void aMemberThatLeavesDuringItsVisitIsNotVisitedAgain(Vertx vertx, VertxTestContext test) {
    AtomicInteger visits = new AtomicInteger();
    vertx.runOnContext(v -> {
      TickWheel wheel = new TickWheel(vertx, 40);
      int[] slot = new int[1];
      TickWheel.Ticking once = new TickWheel.Ticking() {
        @Override
        public void tick(long now) {
          visits.incrementAndGet();
          wheel.remove(this, slot[0]);
        }
      };
      slot[0] = wheel.add(once);
      vertx.setTimer(300, id -> test.verify(() -> {
        assertThat(visits.get()).isEqualTo(1);
        assertThat(wheel.size()).isZero();
        test.completeNow();
      }));
    });
  }
}
