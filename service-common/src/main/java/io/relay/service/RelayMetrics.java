package io.relay.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Relay's own meters, one registry per service process, shared by its event loops' verticle
 * instances (docs/architecture.md#event-loops). Names follow Prometheus conventions once
 * exported: counters get {@code _total}, timers are histograms in seconds
 * ({@code relay_delivery_latency_seconds_bucket}), byte gauges end in {@code _bytes}.
 * The JVM and HTTP server meters of the process are in {@link RuntimeMetrics}.
 *
 * <p>A gauge or function counter registered under one name by several instances reports the sum
 * of their values: {@code relay_connections} is the process's total, however many event loops
 * hold connections. Micrometer alone would keep the first instance's value and ignore the others.
 */
public final class RelayMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, List<DoubleSupplier>> summed = new ConcurrentHashMap<>();
  private final Map<Class<?>, Object> processParts = new ConcurrentHashMap<>();
  public final Counter stored = counter("relay.messages.stored", "messages stored in every log they belong to");
  public final Counter published = counter("relay.messages.published", "log entries published for live delivery");
  public final Counter channelStored = counter("relay.channel.messages.stored",
      "channel messages stored in their channel's history");
  public final Counter channelPublished = counter("relay.channel.messages.published",
      "channel messages published for live delivery, stored or transient (one pub/sub message each)");
  public final Counter liveReceived = counter("relay.live.received",
      "published log entries this push node received from Redis (only nodes holding a recipient get one)");
  public final Counter delivered = counter("relay.messages.delivered", "frames with a log entry written to a client");
  public final Counter redisErrors = counter("relay.redis.errors", "Redis calls that failed or timed out");
  public final Counter rateLimited = counter("relay.rate.limited",
      "requests, connections and client frames refused as rate_limited because a budget was spent");
  public final Counter queueDrops = counter("relay.queue.drops", "connections closed because their send queue overflowed");
  public final Timer deliveryLatency = histogram("relay.delivery.latency",
      "time from a message's ts to its frame being handed to the client socket", Duration.ofMillis(1),
      Duration.ofSeconds(60));
  public final Timer redisLatency = histogram("relay.redis.latency",
      "duration of Redis calls sent through the pooled client, failed ones included", Duration.ofNanos(100_000),
      Duration.ofSeconds(10));

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private Timer histogram(String name, String description, Duration min, Duration max) {
    return Timer.builder(name).description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(min)
        .maximumExpectedValue(max)
        .register(registry);
  }

  /**
   * Registers a gauge that reads its value when scraped; registered again under the same name
   * (another event loop's instance), it reports the sum of every value.
   */
  public void gauge(String name, String description, Supplier<Number> value) {
    addend(name, () -> value.get().doubleValue(),
        sum -> Gauge.builder(name, sum, RelayMetrics::total).description(description).register(registry));
  }

  /** Registers a gauge in bytes ({@code <name>_bytes}) that reads its value when scraped (not summed). */
  public void bytesGauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).baseUnit("bytes").register(registry);
  }

  /**
   * Registers a counter ({@code <name>_total}) whose running count another object keeps, read
   * when scraped; the count must only grow. Registered again under the same name, it reports the
   * sum of every owner's count.
   */
  public <T> void counter(String name, String description, T owner, ToDoubleFunction<T> count) {
    addend(name, () -> count.applyAsDouble(owner),
        sum -> FunctionCounter.builder(name, sum, RelayMetrics::total).description(description).register(registry));
  }

  /**
   * The one {@code type} of this process, created by {@code create} the first time it is asked
   * for: a part that registers meters which must not be summed over event loops.
   */
  public <T> T processPart(Class<T> type, Function<RelayMetrics, T> create) {
    return type.cast(processParts.computeIfAbsent(type, t -> create.apply(this)));
  }

  /** Adds a value to the sum reported under {@code name}; the first one registers the meter. */
  private void addend(String name, DoubleSupplier value, Consumer<List<DoubleSupplier>> register) {
    summed.computeIfAbsent(name, n -> {
      List<DoubleSupplier> sum = new CopyOnWriteArrayList<>();
      register.accept(sum);
      return sum;
    }).add(value);
  }

  private static double total(List<DoubleSupplier> values) {
    double total = 0;
    for (DoubleSupplier value : values) {
      total += value.getAsDouble();
    }
    return total;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
