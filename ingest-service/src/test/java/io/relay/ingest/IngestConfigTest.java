package io.relay.ingest;

import io.relay.service.Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code IngestConfig.fromEnv}: the ingest port of docs/operations.md and the channel history bound on top of the shared settings. */
class IngestConfigTest {

  static final String SECRET = "an-ingest-test-secret-of-32-byte";

  @Test
  void sendLimitsDefaultTo20PerSecondBurst40ForUsersAndNoneForApiKeys() {
    SendRates rates = IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET)).rates();
    assertThat(rates).isEqualTo(new SendRates(20, 40, 0));
    assertThat(rates.of(Caller.user(new Identity("alice", Long.MAX_VALUE)))).isEqualTo(
        new io.relay.service.RateLimit("relay:{u:alice}:rate", 20, 40));
    assertThat(rates.of(Caller.backend("abc")).perSec()).isZero();
  }

  @Test
  void anApiKeysBurstIsTwiceItsRate() {
    SendRates rates = IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET, "RELAY_RATE_KEY_PER_SEC", "7",
        "RELAY_RATE_USER_PER_SEC", "3", "RELAY_RATE_USER_BURST", "5")).rates();
    assertThat(rates.of(Caller.backend("abc"))).isEqualTo(new io.relay.service.RateLimit("relay:{k:abc}:rate", 7, 14));
    assertThat(rates.of(Caller.user(new Identity("bob", Long.MAX_VALUE)))).isEqualTo(new io.relay.service.RateLimit("relay:{u:bob}:rate", 3, 5));
  }

  @Test
  void portDefaultsTo8080() {
    assertThat(IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET)).port()).isEqualTo(8080);
  }

  @Test
  void portZeroPicksAFreePort() {
    assertThat(IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET, "RELAY_INGEST_PORT", "0")).port()).isZero();
  }

  @Test
  void badPortIsAStartupErrorNamingTheVariable() {
    for (String bad : new String[] {"65536", "-1", "http"}) {
      assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET, "RELAY_INGEST_PORT", bad)))
          .as("RELAY_INGEST_PORT=%s", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_INGEST_PORT");
    }
  }

  @Test
  void channelHistoryDefaultsTo1000AndIsBounded() {
    assertThat(IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET)).channelHistory()).isEqualTo(1000);
    assertThat(IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET, "RELAY_CHANNEL_HISTORY", "5")).channelHistory())
        .isEqualTo(5);
    for (String bad : new String[] {"0", "1000001", "many"}) {
      assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET, "RELAY_CHANNEL_HISTORY", bad)))
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
