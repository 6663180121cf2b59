package io.relay.testing;

import org.testcontainers.DockerClientFactory;

/** Asks once per JVM whether a Docker engine answers. */
final class DockerProbe {

  private static Boolean available;

  private DockerProbe() {
  }

  static synchronized boolean available() {
    if (available == null) {
      available = probe();
    }
    return available;
  }

  private static boolean probe() {
    if ("false".equalsIgnoreCase(System.getenv("RELAY_TEST_DOCKER"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
