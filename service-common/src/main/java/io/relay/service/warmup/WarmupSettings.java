package io.relay.service.warmup;

import io.relay.service.Env;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the start-up warm-up.
 *
 * @param budgetSec {@code RELAY_WARMUP}: {@code on} ({@value #DEFAULT_SEC} s), {@code off} (0) or a
 *                  number of seconds from 1 to {@value #MAX_SEC}: the longest the loopback passes
 *                  may run before the node listens. Unset: {@code on} for ingest, {@code off} for
 *                  push, whose restart must take its clients back at once (a reconnect storm
 *                  would otherwise wait for the warm-up; a cold push node costs less than a cold
 *                  ingest node, see docs/performance.md).
 */
public record WarmupSettings(int budgetSec) {

  public static final int DEFAULT_SEC = 25;
  public static final int MAX_SEC = 300;

  public static WarmupSettings fromEnv(Map<String, String> env) {
    return fromEnv(env, true);
  }

  /** The settings of a service that warms up unless told otherwise ({@code onByDefault}) or not. */
  public static WarmupSettings fromEnv(Map<String, String> env, boolean onByDefault) {
    String value = new Env(env).string("RELAY_WARMUP", onByDefault ? "on" : "off").toLowerCase(Locale.ROOT);
    switch (value) {
      case "on", "true":
        return new WarmupSettings(DEFAULT_SEC);
      case "off", "false", "0":
        return new WarmupSettings(0);
      default:
        try {
          int seconds = Integer.parseInt(value);
          if (seconds >= 1 && seconds <= MAX_SEC) {
            return new WarmupSettings(seconds);
          }
        } catch (NumberFormatException e) {
          // the message below says what is allowed
        }
        throw new IllegalArgumentException(
            "RELAY_WARMUP must be on, off or a number of seconds from 1 to " + MAX_SEC + ", got '" + value + "'");
    }
  }

  public boolean enabled() {
    return budgetSec > 0;
  }

  /** Every environment variable the warm-up reads, for checks of deploy files and docs. */
  public static Set<String> variables() {
    return Env.namesReadBy(WarmupSettings::fromEnv);
  }
}
