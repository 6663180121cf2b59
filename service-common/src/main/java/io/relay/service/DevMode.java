package io.relay.service;

import org.slf4j.Logger;

/** Says loudly that dev mode's well-known secret and API key are in use. */
public final class DevMode {

  private DevMode() {
  }

  public static void warnIfOn(SharedConfig config, Logger log) {
    if (config.dev()) {
      log.warn("*** RELAY_DEV=true: DEV MODE. JWT secret is the public '{}', API key '{}' is accepted, "
          + "CORS allows {}. Never run this in production. ***", SharedConfig.DEV_SECRET, SharedConfig.DEV_API_KEY,
          config.corsOrigins());
    }
  }
}
