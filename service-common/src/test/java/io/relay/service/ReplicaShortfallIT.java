package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.RedisProcess;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The startup check of {@code RELAY_REDIS_WAIT_REPLICAS} against one real redis-server without replicas. */
class ReplicaShortfallIT {

  @Test
  void oneServerWithoutReplicasIsNamedInTheWarning() {
    Vertx vertx = Vertx.vertx();
    try (RedisProcess server = RedisProcess.start()) {
      RedisGateway waiting = gateway(vertx, server, 1);
      RedisGateway notWaiting = gateway(vertx, server, 0);

      assertThat(notWaiting.replicaShortfalls().await()).isEmpty();
      assertThat(waiting.replicaShortfalls().await()).singleElement().asString()
          .contains("RELAY_REDIS_WAIT_REPLICAS=1", "127.0.0.1:" + server.port() + " has 0 connected replicas");
    } finally {
      vertx.close().await();
    }
  }

  private static RedisGateway gateway(Vertx vertx, RedisProcess server, int waitReplicas) {
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_DEV", "true", "REDIS_URL", server.url(),
        "RELAY_REDIS_TIMEOUT_MS", "2000", "RELAY_REDIS_WAIT_REPLICAS", Integer.toString(waitReplicas)));
    return RedisGateway.connect(vertx, config, new RelayMetrics(), System::currentTimeMillis).await();
  }
}
