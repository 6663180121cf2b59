package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.testing.SilentWebSocket;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The docs/protocol.md#websocket, docs/protocol.md#errors edges of {@code /v1/ws}: auth, origins, bad parameters, bad frames, close codes. */
class WebSocketContractIT {

  static final String ALLOWED_ORIGIN = "https://chat.example";

  static TestRedis redis;
  static RelayStack relay;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of(
        "RELAY_HEARTBEAT_SEC", "1",
        "RELAY_MAX_FRAME", "1024",
        "RELAY_CORS_ORIGINS", ALLOWED_ORIGIN));
  }

  @AfterAll
  static void stop() {
    relay.close();
    redis.close();
  }

  private static int upgradeStatus(String uri, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(relay.push.port())
        .setURI(uri).setAllowOriginHeader(origin != null);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    try (WsClient ignored = WsClient.connect(relay.vertx, options)) {
      return 101;
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    }
  }

  @Test
  void missingTokenIsRefusedWith401() {
    assertThat(upgradeStatus("/v1/ws", null)).isEqualTo(401);
  }

  @Test
  void tokenInAuthorizationHeaderIsAccepted() {
    String bob = RelayStack.newUser("bob");
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(relay.push.port())
        .setURI("/v1/ws").setAllowOriginHeader(false).addHeader("Authorization", "Bearer " + relay.token(bob));
    try (WsClient ws = WsClient.connect(relay.vertx, options)) {
      assertThat(ws.hello().getString("uid")).isEqualTo(bob);
    }
  }

  @Test
  void invalidTokenIsClosedWith4001() {
    try (WsClient ws = relay.connect("not-a-jwt")) {
      assertThat(ws.awaitClose()).isEqualTo((short) 4001);
      assertThat(ws.frames()).isEmpty();
    }
  }

  @Test
  void connectionIsClosedWith4001WhenItsTokenExpires() {
    try (WsClient ws = relay.connect(relay.token(RelayStack.newUser("bob"), 1))) {
      ws.hello();
      assertThat(ws.awaitClose()).isEqualTo((short) 4001);
    }
  }

  @Test
  void originsOffTheListAreRefusedWith403() {
    String token = relay.token(RelayStack.newUser("bob"));
    assertThat(upgradeStatus("/v1/ws?token=" + token, "https://evil.example")).isEqualTo(403);
    assertThat(upgradeStatus("/v1/ws?token=" + token, ALLOWED_ORIGIN)).isEqualTo(101);
    assertThat(upgradeStatus("/v1/ws?token=" + token, null)).isEqualTo(101);
  }

  @Test
  void badResumeParametersAreRefusedWith400() {
    String token = relay.token(RelayStack.newUser("bob"));
    assertThat(upgradeStatus("/v1/ws?token=" + token + "&since=yesterday", null)).isEqualTo(400);
    assertThat(upgradeStatus("/v1/ws?token=" + token + "&device=has%20space", null)).isEqualTo(400);
  }

  @Test
  void malformedFramesGetAnErrorFrameAndTheConnectionStays() {
    try (WsClient ws = relay.connect(relay.token(RelayStack.newUser("bob")))) {
      ws.hello();
      ws.sendText("{not json");
      ws.send(new JsonObject().put("type", "dance"));
      ws.send(new JsonObject().put("type", "ack").put("seq", "soon"));
      ws.send(new JsonObject().put("type", "ack").put("seq", "99999999999999-0"));
      ws.socket().writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3})).await();
      ws.send(new JsonObject().put("type", "ping"));
      ws.awaitFrame("pong", f -> "pong".equals(f.getString("type")));
      assertThat(ws.frames()).filteredOn(f -> "error".equals(f.getString("type")))
          .hasSize(5)
          .allSatisfy(f -> {
            assertThat(f.getString("code")).isEqualTo("bad_frame");
            assertThat(f.getString("message")).isNotBlank();
          });
      assertThat(ws.closeCode()).isNull();
    }
  }

  @Test
  void frameOverTheLimitIsClosedWith1009() {
    try (WsClient ws = relay.connect(relay.token(RelayStack.newUser("bob")))) {
      ws.hello();
      ws.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}");
      assertThat(ws.awaitClose()).isEqualTo((short) 1009);
    }
  }

  @Test
  void serverSendsPingFramesEveryHeartbeat() {
    try (WsClient ws = relay.connect(relay.token(RelayStack.newUser("bob")))) {
      ws.hello();
      ws.awaitFrame("ping", f -> "ping".equals(f.getString("type")));
    }
  }

  @Test
  void unknownPathIsA404InTheErrorFormat() {
    var response = relay.http.get(relay.push.port(), "127.0.0.1", "/v1/nope").send().await();
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("not_found");
  }

  @Test
  void plainHttpRequestToTheSocketPathIsA400() {
    var response = relay.http.get(relay.push.port(), "127.0.0.1", "/v1/ws?token=" + relay.token("bob")).send().await();
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_field");
  }

  @Test
  void silentClientIsClosedWithinTwoHeartbeatsAndUnbound() throws Exception {
    String bob = RelayStack.newUser("bob");
    int before = relay.push.connections();
    try (SilentWebSocket silent = new SilentWebSocket(relay.push.port(), "/v1/ws?token=" + relay.token(bob))) {
      await().atMost(WsClient.WAIT).until(() -> relay.push.connections() == before + 1);
      long opened = System.nanoTime();
      await().atMost(WsClient.WAIT).until(() -> relay.push.connections() == before);
      long closedAfterMs = (System.nanoTime() - opened) / 1_000_000;
      // Heartbeat is 1 s: the server must give up after 2 s of silence, checked 4 times a heartbeat.
      assertThat(closedAfterMs).isBetween(1500L, 3500L);
    }
    try (RedisProbe probe = new RedisProbe(relay.vertx, redis.url())) {
      await().atMost(WsClient.WAIT)
          .until(() -> probe.setSize(RedisKeys.bindings(bob)) == 0);
    }
  }
}
