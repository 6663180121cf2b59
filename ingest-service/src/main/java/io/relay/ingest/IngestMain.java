package io.relay.ingest;

import io.relay.service.ServiceLauncher;

/** {@code java -jar ingest-service.jar}: configured by environment variables (§8). */
public final class IngestMain {

  private IngestMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run("ingest-service", () -> new IngestVerticle(IngestConfig.fromEnv(System.getenv())));
  }
}
