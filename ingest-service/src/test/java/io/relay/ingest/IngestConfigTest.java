package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code IngestConfig.fromEnv}: the ingest port of §8 on top of the shared settings. */
class IngestConfigTest {

  @Test
  void portDefaultsTo8080() {
    assertThat(IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "s")).port()).isEqualTo(8080);
  }

  @Test
  void portZeroPicksAFreePort() {
    assertThat(IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "s", "RELAY_INGEST_PORT", "0")).port()).isZero();
  }

  @Test
  void badPortIsAStartupErrorNamingTheVariable() {
    for (String bad : new String[] {"65536", "-1", "http"}) {
      assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "s", "RELAY_INGEST_PORT", bad)))
          .as("RELAY_INGEST_PORT=%s", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_INGEST_PORT");
    }
  }

  @Test
  void sharedSettingsAreReadToo() {
    assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_JWT_SECRET");
  }
}
