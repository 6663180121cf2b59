package io.relay.ingest;

import io.relay.service.Env;
import io.relay.service.SharedConfig;
import java.util.Map;

/**
 * Settings of the ingest-service.
 *
 * @param shared the settings both services read (see {@link SharedConfig})
 * @param port   {@code RELAY_INGEST_PORT}, default 8080 (0 picks a free port)
 * @param rates  the send limits ({@link SendRates})
 */
public record IngestConfig(SharedConfig shared, int port, SendRates rates) {

  public static IngestConfig fromEnv(Map<String, String> env) {
    Env values = new Env(env);
    return new IngestConfig(SharedConfig.fromEnv(env), values.integer("RELAY_INGEST_PORT", 8080, 0, 65535),
        SendRates.fromEnv(values));
  }
}
