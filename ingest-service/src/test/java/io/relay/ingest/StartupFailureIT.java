package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relay.testing.ServiceProcess;
import io.relay.testing.ServiceProcess.Kind;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A service that cannot start exits at once with a non-zero status, instead of hanging in its
 * shutdown hook (System.exit on an event loop blocks the vertx.close() the hook waits for).
 */
class StartupFailureIT {

  /** JVM start plus a failed deploy; the bug it guards against took more than 30 s. */
  static final long PROMPT_EXIT_MS = 15_000;

  @Test
  void anUnparsableRedisUrlMakesTheServiceExitPromptly() {
    long started = System.nanoTime();
    assertThatThrownBy(() -> ServiceProcess.start(Kind.INGEST, Map.of(
            "REDIS_URL", "redis://[not a host",
            "RELAY_JWT_SECRET", "startup-failure-secret-" + UUID.randomUUID())))
        .hasMessageContaining("exited during startup")
        .hasMessageContaining("failed to start");
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(elapsedMs).as("time until the failed service exited").isLessThan(PROMPT_EXIT_MS);
  }

  @Test
  void aBadSettingExitsPromptlyToo() {
    long started = System.nanoTime();
    assertThatThrownBy(() -> ServiceProcess.start(Kind.INGEST, Map.of("RELAY_JWT_SECRET", "too-short")))
        .hasMessageContaining("exited during startup")
        .hasMessageContaining("at least 32 bytes");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(PROMPT_EXIT_MS);
  }
}
