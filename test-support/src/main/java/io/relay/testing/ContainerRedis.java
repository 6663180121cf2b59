package io.relay.testing;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** A {@code redis:7} container with AOF on; kill and restart keep its data volume. */
final class ContainerRedis implements TestRedis {

  private final GenericContainer<?> container;

  private ContainerRedis(GenericContainer<?> container) {
    this.container = container;
  }

  static ContainerRedis start() {
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
        .withCommand("redis-server", "--appendonly", "yes", "--appendfsync", "always")
        .withExposedPorts(6379);
    container.start();
    return new ContainerRedis(container);
  }

  @Override
  public String url() {
    return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
  }

  @Override
  public void kill() {
    container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
  }

  @Override
  public void restart() {
    container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
  }

  @Override
  public void close() {
    container.stop();
  }
}
