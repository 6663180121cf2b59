package io.relay.e2e;

import static io.relay.e2e.RelayHttp.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.e2e.RelayHttp.As;
import io.relay.model.RedisKeys;
import io.relay.push.PushNode;
import io.relay.testing.ServiceProcess;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence (docs/rooms-presence.md) from the bindings in Redis: across push nodes, and after a node crashes. */
class PresenceIT {

  static final int HEARTBEAT_SEC = 1;
  static final String SECRET = "presence-secret-" + UUID.randomUUID();

  static TestRedis redis;
  static RelayStack relay;
  static PushNode secondNode;
  static RelayHttp api;
  static RedisProbe probe;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of("RELAY_HEARTBEAT_SEC", Integer.toString(HEARTBEAT_SEC),
        "RELAY_JWT_SECRET", SECRET));
    secondNode = relay.addPushNode();
    api = new RelayHttp(relay);
    probe = new RedisProbe(relay.vertx, redis.url());
  }

  @AfterAll
  static void stop() {
    probe.close();
    relay.close();
    redis.close();
  }

  private static JsonObject presence(String uid, As as) {
    HttpResponse<Buffer> response = api.get("/v1/presence/" + uid, as);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  @Test
  void anOfflineUserIsShownOffline() {
    String bob = RelayStack.newUser("bob");
    assertThat(presence(bob, As.backend())).isEqualTo(new JsonObject().put("uid", bob).put("online", false)
        .put("connections", new JsonArray()));
  }

  @Test
  void everyConnectionOnEveryNodeIsListedUntilItCloses() {
    String bob = RelayStack.newUser("bob");
    String token = relay.token(bob);
    try (WsClient phone = relay.connect(token); WsClient laptop = relay.connect(secondNode, token, "&device=laptop")) {
      String phoneId = phone.hello().getString("connectionId");
      String laptopId = laptop.hello().getString("connectionId");

      JsonObject online = presence(bob, As.user(token));
      assertThat(online.getString("uid")).isEqualTo(bob);
      assertThat(online.getBoolean("online")).isTrue();
      List<JsonObject> connections = online.getJsonArray("connections").stream().map(JsonObject.class::cast).toList();
      assertThat(connections).extracting(c -> c.getString("id")).containsExactlyInAnyOrder(phoneId, laptopId);
      assertThat(connections).extracting(c -> c.getString("node")).doesNotContainNull().doesNotHaveDuplicates();
      for (JsonObject connection : connections) {
        assertThat(connection.fieldNames()).containsExactlyInAnyOrder("node", "id", "transport", "since");
        assertThat(connection.getString("transport")).isEqualTo("ws");
        assertThat(connection.getLong("since")).isPositive();
      }

      laptop.close();
      await().atMost(WsClient.WAIT).until(() -> presence(bob, As.backend()).getJsonArray("connections").size() == 1);
      assertThat(presence(bob, As.backend()).getJsonArray("connections").getJsonObject(0).getString("id"))
          .isEqualTo(phoneId);
    }
    await().atMost(WsClient.WAIT).until(() -> !presence(bob, As.backend()).getBoolean("online"));
  }

  @Test
  void aUserReadsOnlyItsOwnPresence() {
    String bob = RelayStack.newUser("bob");
    assertThat(presence(bob, As.user(relay.token(bob))).getString("uid")).isEqualTo(bob);
    assertError(api.get("/v1/presence/" + bob, As.user(relay.token(RelayStack.newUser("alice")))), 403, "forbidden");
    assertError(api.get("/v1/presence/" + bob, As.nobody()), 401, "unauthorized");
    assertError(api.get("/v1/presence/" + bob, new As(null, "wrong-key")), 401, "unauthorized");
    assertError(api.get("/v1/presence/bad%20id", As.backend()), 400, "invalid_field");
  }

  @Test
  void aBackendReadsManyUsersInTheOrderAsked() {
    String bob = RelayStack.newUser("bob");
    String carol = RelayStack.newUser("carol");
    try (WsClient ws = relay.connect(secondNode, relay.token(carol), "")) {
      ws.hello();
      HttpResponse<Buffer> response = api.get("/v1/presence?uids=" + carol + "," + bob + "," + carol, As.backend());
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonArray all = response.bodyAsJsonObject().getJsonArray("presence");
      assertThat(all).hasSize(2);
      assertThat(all.getJsonObject(0).getString("uid")).isEqualTo(carol);
      assertThat(all.getJsonObject(0).getBoolean("online")).isTrue();
      assertThat(all.getJsonObject(0).getJsonArray("connections")).hasSize(1);
      assertThat(all.getJsonObject(1)).isEqualTo(new JsonObject().put("uid", bob).put("online", false)
          .put("connections", new JsonArray()));
    }
  }

  @Test
  void batchPresenceRefusesUsersAndBadLists() {
    String hundred = IntStream.range(0, 100).mapToObj(i -> "u" + i).collect(Collectors.joining(","));
    HttpResponse<Buffer> full = api.get("/v1/presence?uids=" + hundred, As.backend());
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.bodyAsJsonObject().getJsonArray("presence")).hasSize(100);

    assertError(api.get("/v1/presence?uids=" + hundred + ",u100", As.backend()), 400, "invalid_field");
    assertError(api.get("/v1/presence", As.backend()), 400, "invalid_field");
    assertError(api.get("/v1/presence?uids=", As.backend()), 400, "invalid_field");
    assertError(api.get("/v1/presence?uids=a,,b", As.backend()), 400, "invalid_field");
    assertError(api.get("/v1/presence?uids=a,b%20c", As.backend()), 400, "invalid_field");
    String bob = RelayStack.newUser("bob");
    assertError(api.get("/v1/presence?uids=" + bob, As.user(relay.token(bob))), 403, "forbidden");
    assertError(api.get("/v1/presence?uids=a", As.nobody()), 401, "unauthorized");
  }

  @Test
  void aCrashedNodesUsersAreShownOfflineWithinTwoHeartbeats() {
    String bob = RelayStack.newUser("bob");
    Map<String, String> env = Map.of("REDIS_URL", redis.url(), "RELAY_JWT_SECRET", SECRET,
        "RELAY_API_KEYS", RelayStack.API_KEY, "RELAY_HEARTBEAT_SEC", Integer.toString(HEARTBEAT_SEC),
        "RELAY_NODE_ID", "doomed-" + bob);
    try (ServiceProcess node = ServiceProcess.start(ServiceProcess.Kind.PUSH, env);
        WsClient ws = WsClient.connect(relay.vertx, node.port(), "/v1/ws?token=" + relay.token(bob))) {
      ws.hello();
      JsonObject online = presence(bob, As.backend());
      assertThat(online.getBoolean("online")).isTrue();
      assertThat(online.getJsonArray("connections").getJsonObject(0).getString("node"))
          .as("the node id of the event loop holding it").matches("doomed-" + bob + "-[0-9]+");

      node.kill();
      // The binding was refreshed at most one heartbeat ago and lives 2×heartbeat: polling
      // slack on top of that.
      await().atMost(Duration.ofMillis(2 * HEARTBEAT_SEC * 1000L + 500)).pollInterval(Duration.ofMillis(100))
          .until(() -> !presence(bob, As.backend()).getBoolean("online"));
      assertThat(probe.setSize(RedisKeys.bindings(bob))).as("stale set members cleaned").isZero();
    }
  }
}
