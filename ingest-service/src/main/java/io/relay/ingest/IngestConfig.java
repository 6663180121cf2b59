package io.relay.ingest;

import io.relay.service.Env;
import io.relay.service.SharedConfig;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the ingest-service.
 *
 * @param shared the settings both services read (see {@link SharedConfig})
 * @param port   {@code RELAY_INGEST_PORT}, default 8080 (0 picks a free port)
 */
public record IngestConfig(SharedConfig shared, int port) {

  public static IngestConfig fromEnv(Map<String, String> env) {
    return new IngestConfig(SharedConfig.fromEnv(env), new Env(env).integer("RELAY_INGEST_PORT", 8080, 0, 65535));
  }

  /** Every environment variable this service reads (shared ones included), for checks of deploy files and docs. */
  public static Set<String> variables() {
    return Env.namesReadBy(IngestConfig::fromEnv);
  }
}
