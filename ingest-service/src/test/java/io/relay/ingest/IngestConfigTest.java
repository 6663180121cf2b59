package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code IngestConfig.fromEnv}: the ingest port of §8 and the channel history bound on top of the shared settings. */
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
  void channelHistoryDefaultsTo1000AndIsBounded() {
    assertThat(IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "s")).channelHistory()).isEqualTo(1000);
    assertThat(IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "s", "RELAY_CHANNEL_HISTORY", "5")).channelHistory())
        .isEqualTo(5);
    for (String bad : new String[] {"0", "1000001", "many"}) {
      assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "s", "RELAY_CHANNEL_HISTORY", bad)))
          .as("RELAY_CHANNEL_HISTORY=%s", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_CHANNEL_HISTORY");
    }
  }

  @Test
  void sharedSettingsAreReadToo() {
    assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_JWT_SECRET");
  }
}
