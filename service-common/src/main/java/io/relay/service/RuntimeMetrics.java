package io.relay.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;

/**
 * The process's JVM meters (memory, GC, threads, CPU, class loading, uptime, file descriptors)
 * and the HTTP server meters of its Vert.x instance, from vertx-micrometer-metrics. They are
 * process-wide, so a service's {@code main} builds its {@link Vertx} here once; {@code /metrics}
 * appends {@link #scrape()} to the service's own {@link RelayMetrics}. Services run inside a test
 * JVM without this have no runtime meters, only their own.
 *
 * <p>HTTP meters are labelled by method, status code and route pattern ({@code /v1/rooms/:id}),
 * never by the raw path: paths carry ids (unbounded label values) and query strings carry tokens.
 */
public final class RuntimeMetrics {

  private static volatile PrometheusMeterRegistry registry;

  private RuntimeMetrics() {
  }

  /** A Vert.x instance whose HTTP server and JVM meters are exported by {@link #scrape()}. */
  public static synchronized Vertx vertx() {
    if (registry != null) {
      throw new IllegalStateException("the runtime meters are bound to one Vert.x instance per process");
    }
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters.config()
        // Base units only: these two come in ms and ns; process_cpu_seconds_total replaces the second.
        .meterFilter(MeterFilter.denyNameStartsWith("jvm.compilation.time"))
        .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
        .meterFilter(histogramFor("vertx.http.server.response.time"));
    cpuSeconds(meters);
    new UptimeMetrics().bindTo(meters);
    new FileDescriptorMetrics().bindTo(meters);
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE));
    EnumSet.complementOf(EnumSet.of(MetricsDomain.HTTP_SERVER)).forEach(options::addDisabledMetricsCategory);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(meters))
        .build();
    registry = meters;
    return vertx;
  }

  /** {@code process_cpu_seconds_total}, the name Prometheus's own clients use for it. */
  private static void cpuSeconds(PrometheusMeterRegistry meters) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by the process")
          .register(meters);
    }
  }

  /** Buckets for a timer, so its quantiles can be computed across nodes (histogram_quantile). */
  private static MeterFilter histogramFor(String name) {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return id.getName().equals(name)
            ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
            : config;
      }
    };
  }

  /** The Prometheus text of the runtime meters; empty when {@link #vertx()} was never called. */
  public static String scrape() {
    PrometheusMeterRegistry meters = registry;
    return meters == null ? "" : meters.scrape();
  }
}
