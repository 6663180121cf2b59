package io.relay.ingest;

import io.relay.service.ServiceLauncher;

/** {@code java -jar ingest-service.jar}: configured by environment variables (docs/operations.md). */
public final class IngestMain {

  private IngestMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run("ingest-service", () -> new IngestNode(IngestConfig.fromEnv(System.getenv())));
  }
}
