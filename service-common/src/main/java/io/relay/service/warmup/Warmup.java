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
 * by {@code RELAY_WARMUP} ({@link WarmupSettings}) plus {@link #COMPILER_WAIT_MS}; a failure is logged and the node starts
 * anyway, only colder.
 */
public final class Warmup {

  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  /** Longest wait afterwards for the JIT compilers to finish what the passes queued. */
  static final long COMPILER_WAIT_MS = 5_000;
  /**
   * Messages and sockets per pass, and most passes: passes go on until one leaves the compilers
   * nearly idle (the hot paths are compiled) or the budget is spent.
   */
  static final int MESSAGES = 5_000;
  static final int CLIENTS = 100;
  static final int MAX_PASSES = 12;
  /** The compilers count as done when they used less than this share of one core lately. */
  private static final double QUIET_COMPILER_SHARE = 0.1;
  private static final long QUIET_WINDOW_MS = 500;

  private Warmup() {
  }

  /** Every environment variable the warm-up reads, for checks of deploy files and docs. */
  public static Set<String> variables() {
    return WarmupSettings.variables();
  }

  /**
   * Warms this JVM up as {@code RELAY_WARMUP} says (unset: {@code on} when {@code onByDefault});
   * a bad {@code RELAY_WARMUP} exits with status 2 like any bad setting.
   */
  public static void beforeServing(String service, Map<String, String> env, boolean onByDefault) {
    WarmupSettings settings;
    try {
      settings = WarmupSettings.fromEnv(env, onByDefault);
    } catch (IllegalArgumentException e) {
      LOG.error("{} cannot start: {}", service, e.getMessage());
      System.exit(2);
      return;
    }
    if (settings.enabled()) {
      run(service, TimeUnit.SECONDS.toMillis(settings.budgetSec()));
    }
  }

  private static void run(String service, long budgetMs) {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(budgetMs);
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    Vertx vertx = Vertx.vertx();
    int delivered = 0;
    try {
      for (int pass = 0; pass < MAX_PASSES && System.nanoTime() < deadline; pass++) {
        long passStarted = System.nanoTime();
        long compiledBefore = compilationMs(compiler);
        WarmupRun.Result result = new WarmupRun(vertx, CLIENTS, MESSAGES).run(remainingMs(deadline))
            .await(budgetMs + 5_000, TimeUnit.MILLISECONDS);
        delivered += result.delivered();
        long passMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - passStarted);
        long compiledMs = compilationMs(compiler) - compiledBefore;
        LOG.debug("{} warm-up pass {}: {} in {} ms, {} ms compiling", service, pass, result, passMs, compiledMs);
        if (pass > 0 && compiledMs < passMs * QUIET_COMPILER_SHARE) {
          break; // the JIT has little left to do: warm
        }
      }
      awaitQuietCompilers(compiler, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMPILER_WAIT_MS));
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
      // One full collection now, before any client: what the passes left (their sockets, buffers)
      // would otherwise be copied by the first young collections under real traffic.
      System.gc();
    }
  }

  /** Total time the JIT compilers have spent so far, 0 where the JVM does not tell. */
  private static long compilationMs(CompilationMXBean compiler) {
    return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime() : 0;
  }

  private static long remainingMs(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** Waits (bounded) until the JIT compilers have little left to do from what the passes queued. */
  private static void awaitQuietCompilers(CompilationMXBean compiler, long deadlineNanos) throws InterruptedException {
    long before = compilationMs(compiler);
    while (System.nanoTime() < deadlineNanos) {
      Thread.sleep(QUIET_WINDOW_MS);
      long now = compilationMs(compiler);
      if (now - before < QUIET_WINDOW_MS * QUIET_COMPILER_SHARE) {
        return;
      }
      before = now;
    }
  }
}
