package io.relay.ingest;

import io.relay.service.Env;
import io.relay.service.SharedConfig;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the ingest-service.
 *
 * @param shared         the settings both services read (see {@link SharedConfig})
 * @param port           {@code RELAY_INGEST_PORT}, default 8080 (0 picks a free port)
 * @param channelHistory {@code RELAY_CHANNEL_HISTORY}, default 1000 (1 to 1,000,000): messages each
 *                       channel's history keeps; publishing beyond trims the oldest
 * @param rates          the send limits ({@link SendRates})
 * @param editWindowSec  {@code RELAY_EDIT_WINDOW_SEC}, default 86400: how long after sending a
 *                       sender may edit a message (docs/conversations.md)
 */
public record IngestConfig(SharedConfig shared, int port, int channelHistory, SendRates rates, int editWindowSec) {

  public static final int DEFAULT_CHANNEL_HISTORY = 1000;
  public static final int MAX_CHANNEL_HISTORY = 1_000_000;
  public static final int DEFAULT_EDIT_WINDOW_SEC = 86_400;

  public static IngestConfig fromEnv(Map<String, String> env) {
    Env values = new Env(env);
    return new IngestConfig(SharedConfig.fromEnv(env), values.integer("RELAY_INGEST_PORT", 8080, 0, 65535),
        values.integer("RELAY_CHANNEL_HISTORY", DEFAULT_CHANNEL_HISTORY, 1, MAX_CHANNEL_HISTORY),
        SendRates.fromEnv(values), values.integer("RELAY_EDIT_WINDOW_SEC", DEFAULT_EDIT_WINDOW_SEC, 0, Integer.MAX_VALUE));
  }

  /** Every environment variable this service reads (shared ones included), for checks of deploy files and docs. */
  public static Set<String> variables() {
    return Env.namesReadBy(IngestConfig::fromEnv);
  }
}
