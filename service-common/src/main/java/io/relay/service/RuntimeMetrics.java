package io.relay.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;

/**
 * The process's JVM meters (memory, GC, threads, classes, CPU, uptime, open files), from
 * Micrometer's binders. They are process-wide, so a service's {@code main} binds them once
 * ({@link #bind()}); {@code /metrics} appends {@link #scrape()} to the service's own
 * {@link RelayMetrics}. Services run inside a test JVM without this have only their own meters.
 *
 * <p>Binders rather than vertx-micrometer-metrics: Vert.x's metrics SPI would instrument every
 * socket and every Redis command in Vert.x core, on the hot path, for meters the dashboard does not
 * use; the HTTP meters it would give come from {@link HttpServerMetrics} instead.
 */
public final class RuntimeMetrics {

  private static volatile PrometheusMeterRegistry registry;

  private RuntimeMetrics() {
  }

  /** Binds the JVM meters for this process (once; later calls do nothing). */
  public static synchronized void bind() {
    if (registry != null) {
      return;
    }
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Base units only: process.cpu.time comes in ns; process_cpu_seconds_total replaces it.
    meters.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    new ClassLoaderMetrics().bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters); // listens to GC notifications for the life of the process
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
    new FileDescriptorMetrics().bindTo(meters);
    cpuSeconds(meters);
    registry = meters;
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

  /** The Prometheus text of the JVM meters; empty when {@link #bind()} was never called. */
  public static String scrape() {
    PrometheusMeterRegistry meters = registry;
    return meters == null ? "" : meters.scrape();
  }
}
