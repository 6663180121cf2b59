package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, ghost presence: thousands of clients closing at once on two push nodes leave no
 * binding behind. The heartbeat is long, so the bindings' TTL (2×heartbeat) cannot be what
 * empties them within the wait: only the unbinds can.
 */
class ClosedTogetherIT {

  static final int USERS = 200;
  static final int CONNECTIONS_PER_USER = 10;
  static final int HEARTBEAT_SEC = 60;
  static final int WAVE = 100;

  @Test
  void twoThousandConnectionsClosedAtOnceLeaveNoBindingAndNobodyOnline() {
    String prefix = "ghost" + UUID.randomUUID().toString().substring(0, 6);
    try (ProcessCluster cluster = new ProcessCluster(1, 2, HEARTBEAT_SEC, List.of(), Map.of());
        RedisProbe redis = new RedisProbe(cluster.vertx, cluster.redis.url())) {
      List<String> users = IntStream.range(0, USERS).mapToObj(i -> prefix + "-" + i).toList();
      List<String> tokens = users.stream().map(cluster::token).toList();
      WebSocketClient client = cluster.vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(USERS * CONNECTIONS_PER_USER));
      List<WebSocket> sockets = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS_PER_USER; c++) {
        for (int from = 0; from < USERS; from += WAVE) { // in waves: opening is not what is tested
          List<Future<WebSocket>> wave = new ArrayList<>();
          for (String token : tokens.subList(from, from + WAVE)) {
            ServiceProcess node = cluster.push.get(sockets.size() % 2);
            wave.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
                .setURI("/v1/ws?token=" + token + "&device=d" + c).setAllowOriginHeader(false)));
          }
          sockets.addAll(Future.all(wave).await().list());
        }
      }
      assertThat(bindingKeys(redis, prefix)).hasSize(USERS * CONNECTIONS_PER_USER);

      sockets.forEach(WebSocket::close);

      await().alias("every binding and bindings set gone").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> bindingKeys(redis, prefix).isEmpty() && setKeys(redis, prefix).isEmpty());
      for (String uid : users.subList(0, 5)) {
        JsonObject presence = cluster.http.get(cluster.ingest.get(0).port(), "127.0.0.1", "/v1/presence/" + uid)
            .putHeader("X-Api-Key", ProcessCluster.API_KEY).send().await().bodyAsJsonObject();
        assertThat(presence.getBoolean("online")).as(uid).isFalse();
      }
      client.close().await();
    }
  }

  private static List<String> bindingKeys(RedisProbe redis, String prefix) {
    return keys(redis, "relay:{u:" + prefix + "-*}:conn:*");
  }

  /** The bindings sets and the routes hashes beside them. */
  private static List<String> setKeys(RedisProbe redis, String prefix) {
    List<String> keys = new ArrayList<>(keys(redis, "relay:{u:" + prefix + "-*}:conns"));
    keys.addAll(keys(redis, "relay:{u:" + prefix + "-*}:routes"));
    return keys;
  }

  private static List<String> keys(RedisProbe redis, String pattern) {
    Response reply = redis.send(Command.KEYS, pattern);
    return reply.stream().map(Response::toString).toList();
  }
}
