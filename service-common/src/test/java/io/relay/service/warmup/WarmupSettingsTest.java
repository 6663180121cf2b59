package io.relay.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmupSettingsTest {

  @Test
  void isOnUnlessTurnedOff() {
    assertThat(WarmupSettings.fromEnv(Map.of()).enabled()).isTrue();
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "on")).enabled()).isTrue();
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "OFF")).enabled()).isFalse();
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "false")).enabled()).isFalse();
  }

  @Test
  void refusesAnythingElseNamingTheVariable() {
    assertThatThrownBy(() -> WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_WARMUP");
    assertThat(Warmup.variables()).containsExactly("RELAY_WARMUP");
  }
}
