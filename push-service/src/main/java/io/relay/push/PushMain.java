package io.relay.push;

import io.relay.service.ServiceLauncher;

/** {@code java -jar push-service.jar}: configured by environment variables (§8). */
public final class PushMain {

  private PushMain() {
  }

  public static void main(String[] args) {
    ServiceLauncher.run("push-service", () -> new PushVerticle(PushConfig.fromEnv(System.getenv())));
  }
}
