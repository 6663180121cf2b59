package io.relay.service.warmup;

import io.vertx.core.Vertx;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before a node deploys its verticle, so before it listens and before {@code /health/ready}
 * can answer 200: loopback passes of {@link WarmupRun} on a Vert.x instance of its own (closed
 * afterwards), then a short wait while the JIT compilers finish what the passes queued. Bounded
 * by {@link #BUDGET_MS}; a failure is logged and the node starts anyway, only colder.
 */
public final class Warmup {

  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  /** Longest the whole warm-up may take, compiler wait included. */
  static final long BUDGET_MS = 20_000;
  /** Messages per pass, sockets per pass, and passes: about what a cold node took to reach full speed. */
  static final int MESSAGES = 10_000;
  static final int CLIENTS = 200;
  static final int PASSES = 3;
  /** The compilers count as done when they used less than this share of one core lately. */
  private static final double QUIET_COMPILER_SHARE = 0.05;
  private static final long QUIET_WINDOW_MS = 500;

  private Warmup() {
  }

  /** Every environment variable the warm-up reads, for checks of deploy files and docs. */
  public static Set<String> variables() {
    return WarmupSettings.variables();
  }

  /**
   * Warms this JVM up unless {@code RELAY_WARMUP=off}; a bad {@code RELAY_WARMUP} exits with
   * status 2 like any bad setting.
   */
  public static void beforeServing(String service, Map<String, String> env) {
    WarmupSettings settings;
    try {
      settings = WarmupSettings.fromEnv(env);
    } catch (IllegalArgumentException e) {
      LOG.error("{} cannot start: {}", service, e.getMessage());
      System.exit(2);
      return;
    }
    if (settings.enabled()) {
      run(service);
    }
  }

  private static void run(String service) {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(BUDGET_MS);
    Vertx vertx = Vertx.vertx();
    int delivered = 0;
    try {
      for (int pass = 0; pass < PASSES && System.nanoTime() < deadline; pass++) {
        WarmupRun.Result result = new WarmupRun(vertx, CLIENTS, MESSAGES).run(remainingMs(deadline))
            .await(BUDGET_MS + 5_000, TimeUnit.MILLISECONDS);
        delivered += result.delivered();
        LOG.info("{} warm-up pass {}: {} at {} ms", service, pass, result,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      }
      awaitQuietCompilers(deadline);
      LOG.info("{} warmed up in {} ms ({} loopback messages delivered)", service,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), delivered);
    } catch (Exception e) {
      LOG.warn("{} warm-up stopped after {} ms, starting anyway: {}", service,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), e.toString());
    } finally {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("{} warm-up did not stop cleanly: {}", service, e.toString());
      }
    }
  }

  private static long remainingMs(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** Waits (bounded) until the JIT compilers have little left to do from what the passes queued. */
  private static void awaitQuietCompilers(long deadlineNanos) throws InterruptedException {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
      return;
    }
    long before = compiler.getTotalCompilationTime();
    while (System.nanoTime() < deadlineNanos) {
      Thread.sleep(QUIET_WINDOW_MS);
      long now = compiler.getTotalCompilationTime();
      if (now - before < QUIET_WINDOW_MS * QUIET_COMPILER_SHARE) {
        return;
      }
      before = now;
    }
  }
}
