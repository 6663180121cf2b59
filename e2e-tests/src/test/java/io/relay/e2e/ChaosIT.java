package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.loadtest.ChaosOptions;
import io.relay.loadtest.ChaosReport;
import io.relay.loadtest.ChaosRun;
import org.junit.jupiter.api.Test;

/**
 * A 30-second chaos run in the suite: separate Redis, ingest and push processes, reconnecting
 * clients, steady traffic and a random fault every 1–3 s (at least five). Longer runs: see the README.
 */
class ChaosIT {

  @Test
  void everyAcknowledgedMessageReachesEveryDeviceInOrderWhileFaultsAreInjected() throws Exception {
    ChaosReport report = ChaosRun.run(new ChaosOptions(12, 30, 30, 2, 45, System.nanoTime()), System.out);
    assertThat(report.acked()).as("messages answered 2xx").isGreaterThan(500);
    assertThat(report.faults().values().stream().mapToLong(Long::longValue).sum()).as("faults injected")
        .isGreaterThanOrEqualTo(5);
    assertThat(report.lost()).as("lost deliveries (seed %d)", report.seed()).isZero();
    assertThat(report.orderViolations()).as("order violations (seed %d)", report.seed()).isZero();
  }
}
