package io.relay.service;

import io.relay.service.warmup.Warmup;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of both services: reads config (a bad setting exits with status 2 and a clear
 * message), deploys the service's process-level verticle, which deploys one instance per event
 * loop ({@link EventLoopInstances}; a failed start exits with status 1 at once), and undeploys it,
 * and with it every instance, gracefully on SIGTERM.
 */
public final class ServiceLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);
  /** Longest wait for a startup to succeed or fail (the deploy itself bounds its Redis calls). */
  private static final long START_TIMEOUT_SEC = 120;
  /**
   * Longest a service takes to stop after SIGTERM (a push node closing its sockets with 1012 and
   * removing its bindings), or to clean up after a failed start. Deploy files give it this much and
   * more: compose's {@code stop_grace_period}, Kubernetes' {@code terminationGracePeriodSeconds}.
   */
  public static final int SHUTDOWN_TIMEOUT_SEC = 30;

  private ServiceLauncher() {
  }

  public static void run(String name, Supplier<Deployable> verticle) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    Deployable deployable;
    try {
      deployable = verticle.get();
    } catch (IllegalArgumentException e) {
      LOG.error("{} cannot start: {}", name, e.getMessage());
      System.exit(2);
      return;
    }
    RuntimeMetrics.bind();
    // Before it listens: ready only once warm. Push does not warm up unless asked: a restarted push
    // node must take its reconnecting clients back at once.
    Warmup.beforeServing(name, System.getenv(), !"push-service".equals(name));
    Vertx vertx = Vertx.vertx();
    // The main thread waits for the deploy and exits on failure: System.exit on an event loop
    // would block that loop in the shutdown hook's vertx.close(), which needs it (a 30 s hang).
    try {
      vertx.deployVerticle(deployable).await(START_TIMEOUT_SEC, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("{} failed to start", name, e);
      closeQuietly(name, vertx);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("{} shutting down", name);
      closeQuietly(name, vertx);
    }, name + "-shutdown"));
  }

  private static void closeQuietly(String name, Vertx vertx) {
    try {
      vertx.close().await(SHUTDOWN_TIMEOUT_SEC, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly: {}", name, e.toString());
    }
  }
}
