package io.relay.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The Prometheus meters of §8, one registry per service instance. */
public final class RelayMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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
  public final Counter queueDrops = counter("relay.queue.drops", "connections closed because their send queue overflowed");
  public final Timer deliveryLatency = Timer.builder("relay.delivery.latency")
      .description("time from a message's ts to its frame being handed to the client socket")
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofMillis(1))
      .maximumExpectedValue(Duration.ofSeconds(60))
      .register(registry);

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** Registers a gauge that reads its value when scraped. */
  public void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
