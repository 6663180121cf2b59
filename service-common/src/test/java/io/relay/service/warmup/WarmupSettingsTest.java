package io.relay.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmupSettingsTest {

  @Test
  void isOnUnlessTurnedOff() {
    assertThat(WarmupSettings.fromEnv(Map.of()).budgetSec()).isEqualTo(WarmupSettings.DEFAULT_SEC);
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "on")).enabled()).isTrue();
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "OFF")).enabled()).isFalse();
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "false")).enabled()).isFalse();
  }

  @Test
  void aServiceThatIsOffByDefaultWarmsUpOnlyWhenAsked() {
    assertThat(WarmupSettings.fromEnv(Map.of(), false).enabled()).isFalse();
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "on"), false).budgetSec())
        .isEqualTo(WarmupSettings.DEFAULT_SEC);
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "10"), false).budgetSec()).isEqualTo(10);
  }

  @Test
  void takesABudgetInSeconds() {
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "60")).budgetSec()).isEqualTo(60);
    assertThat(WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "0")).enabled()).isFalse();
  }

  @Test
  void refusesAnythingElseNamingTheVariable() {
    assertThatThrownBy(() -> WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_WARMUP");
    assertThatThrownBy(() -> WarmupSettings.fromEnv(Map.of("RELAY_WARMUP", "301")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 300");
    assertThat(Warmup.variables()).containsExactly("RELAY_WARMUP");
  }
}
