package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nodes started with the start-up warm-up on (a short budget): it runs before they listen, leaves
 * nothing in Redis (the warm-up talks only to its in-process stand-in), and the nodes then store
 * and deliver as usual.
 */
class WarmupIT {

  @Test
  void warmsUpBeforeListeningTouchesNoRedisDataAndThenDelivers() throws IOException {
    try (ProcessCluster cluster = new ProcessCluster(1, 1, 5, List.of(), Map.of("RELAY_WARMUP", "3"));
        RedisProbe redis = new RedisProbe(cluster.vertx, cluster.redis.url())) {
      for (ServiceProcess node : List.of(cluster.ingest.get(0), cluster.push.get(0))) {
        assertThat(Files.readString(node.log())).as("log of %s", node.log()).contains("warmed up in");
      }
      assertThat(keys(redis)).as("keys after two warmed-up starts").noneMatch(key -> key.contains("warmup"))
          .allMatch(key -> key.startsWith("relay:"));

      String bob = RelayStack.newUser("bob");
      try (WsClient ws = cluster.connect(cluster.push.get(0), cluster.token(bob), "")) {
        ws.hello();
        JsonObject message = new JsonObject().put("to", bob).put("body", new JsonObject().put("text", "hi"));
        assertThat(cluster.send(cluster.ingest.get(0), cluster.token(RelayStack.newUser("alice")), message)
            .statusCode()).isEqualTo(201);
        assertThat(ws.awaitMessages(1).get(0).getJsonObject("body").getString("text")).isEqualTo("hi");
      }
    }
  }

  private static List<String> keys(RedisProbe redis) {
    List<String> keys = new ArrayList<>();
    for (Response key : redis.send(Command.KEYS, "*")) {
      keys.add(key.toString());
    }
    return keys;
  }
}
