package io.relay.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WarmupRunTest {

  /** The deadline only bounds a broken run; a working one ends when every frame has arrived. */
  private static final long SAFETY_DEADLINE_MS = 60_000;

  @Test
  void deliversEveryMessageToItsRecipientsSocketOverLoopback(Vertx vertx, VertxTestContext test) {
    new WarmupRun(vertx, 5, 300).run(SAFETY_DEADLINE_MS)
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertThat(result.sent()).isEqualTo(300);
          assertThat(result.delivered()).isEqualTo(300);
          assertThat(result.failed()).isZero();
          test.completeNow();
        })));
  }

  @Test
  void runsAgainOnTheSameVertxAfterClosingItsOwnParts(Vertx vertx, VertxTestContext test) {
    new WarmupRun(vertx, 3, 50).run(SAFETY_DEADLINE_MS)
        .compose(first -> new WarmupRun(vertx, 3, 50).run(SAFETY_DEADLINE_MS))
        .onComplete(test.succeeding(second -> test.verify(() -> {
          assertThat(second.delivered()).isEqualTo(50);
          test.completeNow();
        })));
  }
}
