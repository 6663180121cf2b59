package io.relay.testing;

/**
 * A real Redis server for a test class. {@link #start()} picks, in order: the server at
 * {@code REDIS_URL} when that variable is set; a {@code redis-server} process on a free port in a
 * temp dir when that binary is installed; else a Testcontainers container when a Docker engine
 * answers. The process comes before the container because an engine may answer without reaching
 * a registry (the image could not be pulled), and a process needs nothing but the binary.
 * Tests must never flush a server they did not start: use fresh user ids instead.
 */
public interface TestRedis extends AutoCloseable {

  /** The {@code redis://host:port} URL to connect to. */
  String url();

  /** Kills the server without warning (SIGKILL); its data dir stays for {@link #restart()}. */
  void kill();

  /** Starts the server again on the same port and data dir, and waits until it answers. */
  void restart();

  @Override
  void close();

  /** A Redis for ordinary tests: {@code REDIS_URL}, else a process, else Testcontainers. */
  static TestRedis start() {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isBlank()) {
      return new ExternalRedis(url);
    }
    return startKillable();
  }

  /** A Redis this test owns and may kill and restart: a container or a process, never REDIS_URL. */
  static TestRedis startKillable() {
    if (!RedisProcess.binaryAvailable() && DockerProbe.available()) {
      return ContainerRedis.start();
    }
    return RedisProcess.start();
  }
}
