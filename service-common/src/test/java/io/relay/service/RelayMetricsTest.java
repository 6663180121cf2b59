package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One registry for a process's event loops: what several loops register under one name is summed. */
class RelayMetricsTest {

  private final RelayMetrics metrics = new RelayMetrics();

  @Test
  void aGaugeRegisteredByEveryLoopReportsTheirSum() {
    AtomicInteger loop0 = new AtomicInteger(3);
    AtomicInteger loop1 = new AtomicInteger(4);
    metrics.gauge("relay.connections", "open", loop0::get);
    metrics.gauge("relay.connections", "open", loop1::get);

    assertThat(series("relay_connections")).isEqualTo("relay_connections 7.0");
    loop1.set(0);
    assertThat(series("relay_connections")).isEqualTo("relay_connections 3.0");
  }

  @Test
  void aFunctionCounterRegisteredByEveryLoopReportsTheirSum() {
    AtomicLong loop0 = new AtomicLong(2);
    AtomicLong loop1 = new AtomicLong(5);
    metrics.counter("relay.pubsub.reconnects", "reconnects", loop0, AtomicLong::get);
    metrics.counter("relay.pubsub.reconnects", "reconnects", loop1, AtomicLong::get);

    assertThat(series("relay_pubsub_reconnects_total")).isEqualTo("relay_pubsub_reconnects_total 7.0");
  }

  @Test
  void aProcessPartIsCreatedOnce() {
    AtomicInteger created = new AtomicInteger();
    Object first = metrics.processPart(Object.class, m -> {
      created.incrementAndGet();
      return new Object();
    });
    Object second = metrics.processPart(Object.class, m -> new Object());

    assertThat(second).isSameAs(first);
    assertThat(created).hasValue(1);
  }

  /** The one exported line of {@code name}; fails if there are several. */
  private String series(String name) {
    return metrics.scrape().lines().filter(line -> line.startsWith(name + " ")).reduce((a, b) -> {
      throw new AssertionError("two series: " + a + " / " + b);
    }).orElseThrow();
  }
}
