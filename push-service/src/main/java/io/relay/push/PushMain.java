package io.relay.push;

import io.relay.service.ServiceLauncher;

/** {@code java -jar push-service.jar}: configured by environment variables (docs/operations.md). */
public final class PushMain {

  private PushMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run("push-service", () -> new PushNode(PushConfig.fromEnv(System.getenv())));
  }
}
