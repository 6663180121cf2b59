package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.CloseCode;
import io.relay.model.RedisKeys;
import io.relay.testing.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Admission (docs/operations.md#admission): set-ups take turns. With one set-up at a time and one
 * waiting place, a handshake that arrives while a set-up runs waits, not upgraded, until that one
 * ends; the next is refused {@code 503} with {@code Retry-After} before any upgrade. The running
 * set-up is held by keeping the pub/sub link off, so its arming waits for the Redis timeout.
 */
class AdmissionIT {

  @Test
  void handshakesWaitTheirTurnInOrderAndOneBeyondTheQueueIsRefusedWithRetryAfter() {
    try (RedisProcess redis = RedisProcess.start();
        // One event loop: one pub/sub link to hold off, one setup queue (each loop has its own).
        RelayStack relay = new RelayStack(redis, Map.of("RELAY_REDIS_TIMEOUT_MS", "1500",
            "RELAY_SETUP_CONCURRENCY", "1", "RELAY_SETUP_QUEUE", "1", "RELAY_EVENT_LOOPS", "1"))) {
      RedisConnection admin = Redis.createClient(relay.vertx, redis.url()).connect().await();
      List<String> users = IntStream.range(0, 4).mapToObj(i -> RelayStack.newUser("storm")).toList();
      List<String> tokens = users.stream().map(relay::token).toList();
      warmRedisPool(relay, tokens);

      holdOffThePubSubLink(admin);
      int port = relay.push.port();
      Future<WsClient> running = WsClient.connecting(relay.vertx, port, "/v1/ws?token=" + tokens.get(0));
      await().until(() -> setSize(admin, RedisKeys.bindings(users.get(0))) == 1); // bound: its turn runs
      Future<WsClient> waiting = WsClient.connecting(relay.vertx, port, "/v1/ws?token=" + tokens.get(1));
      await().until(() -> relay.push.metrics().scrape().contains("relay_setups_waiting 1.0"));
      Future<WsClient> refused = WsClient.connecting(relay.vertx, port, "/v1/ws?token=" + tokens.get(2));

      assertThat(refused.transform(Future::succeededFuture).await().cause())
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
            assertThat(e.getStatus()).isEqualTo(503);
            assertThat(e.getHeaders().get("Retry-After")).isEqualTo("1");
          });
      assertThat(waiting.isComplete()).as("the waiting handshake is not upgraded while the other runs").isFalse();
      assertThat(setSize(admin, RedisKeys.bindings(users.get(1)))).as("nor bound").isZero();

      // The running set-up cannot arm its subscription: 1013 once the timeout passes; then the waiting one runs.
      assertThat(running.await().awaitClose()).isEqualTo(CloseCode.TRY_AGAIN_LATER.code());
      waiting.await().close(); // upgraded once the first set-up's turn ended
      assertThat(relay.push.metrics().scrape()).contains("relay_setups_refused_total 1.0");

      // Once Redis takes the pub/sub link again, a connect is served as usual.
      admin.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxclients").arg("10000")).await();
      await().until(() -> relay.push.connections() == 0 && pubSubClients(admin) == 1);
      try (WsClient again = relay.connect(tokens.get(3))) {
        again.hello();
      }
      await().until(() -> users.stream().allMatch(uid -> setSize(admin, RedisKeys.bindings(uid)) == 0));
    }
  }

  /** Opens and closes a connection per token, so the node's Redis pool holds its connections before Redis refuses new ones. */
  private static void warmRedisPool(RelayStack relay, List<String> tokens) {
    List<WsClient> clients = tokens.stream().map(relay::connect).toList();
    clients.forEach(WsClient::hello);
    clients.forEach(WsClient::close);
    await().until(() -> relay.push.connections() == 0 && relay.push.subscriptions() == 0);
  }

  /** Drops the pub/sub connection and has Redis refuse every new connection until maxclients is raised. */
  private static void holdOffThePubSubLink(RedisConnection admin) {
    String clients = admin.send(Request.cmd(Command.INFO).arg("clients")).await().toString();
    long connected = clients.lines().filter(line -> line.startsWith("connected_clients:"))
        .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow();
    admin.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxclients").arg(connected - 1)).await();
    assertThat(admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("pubsub")).await().toInteger())
        .isEqualTo(1);
  }

  private static long pubSubClients(RedisConnection admin) {
    return admin.send(Request.cmd(Command.CLIENT).arg("LIST").arg("TYPE").arg("pubsub")).await().toString()
        .lines().filter(line -> !line.isBlank()).count();
  }

  private static long setSize(RedisConnection admin, String key) {
    return admin.send(Request.cmd(Command.SCARD).arg(key)).await().toLong();
  }
}
