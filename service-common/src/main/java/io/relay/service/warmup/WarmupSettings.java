package io.relay.service.warmup;

import io.relay.service.Env;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the start-up warm-up.
 *
 * @param enabled {@code RELAY_WARMUP}, {@code on} (default) or {@code off}
 */
public record WarmupSettings(boolean enabled) {

  public static WarmupSettings fromEnv(Map<String, String> env) {
    String value = new Env(env).string("RELAY_WARMUP", "on").toLowerCase(java.util.Locale.ROOT);
    return switch (value) {
      case "on", "true" -> new WarmupSettings(true);
      case "off", "false" -> new WarmupSettings(false);
      default -> throw new IllegalArgumentException("RELAY_WARMUP must be on or off, got '" + value + "'");
    };
  }

  /** Every environment variable the warm-up reads, for checks of deploy files and docs. */
  public static Set<String> variables() {
    return Env.namesReadBy(WarmupSettings::fromEnv);
  }
}
