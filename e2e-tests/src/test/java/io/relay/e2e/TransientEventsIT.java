package io.relay.e2e;

import static io.relay.e2e.RelayHttp.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.e2e.RelayHttp.As;
import io.relay.push.PushNode;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transient events (docs/protocol.md#sending-post-v1messages): API key only, pushed to the connections online now, never stored. */
class TransientEventsIT {

  static TestRedis redis;
  static RelayStack relay;
  static PushNode secondNode;
  static RelayHttp api;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of("RELAY_MAX_BODY", "1024"));
    secondNode = relay.addPushNode();
    api = new RelayHttp(relay);
  }

  @AfterAll
  static void stop() {
    relay.close();
    redis.close();
  }

  private static JsonObject event(String to) {
    return new JsonObject().put("to", to).put("body", new JsonObject().put("event", "refresh")).put("transient", true);
  }

  @Test
  void reachesEveryConnectionOnBothNodesIsCountedAndIsNotStored() {
    String bob = RelayStack.newUser("bob");
    String token = relay.token(bob);
    try (WsClient phone = relay.connect(token); WsClient laptop = relay.connect(secondNode, token, "&device=laptop")) {
      phone.hello();
      laptop.hello();
      HttpResponse<Buffer> response = api.post("/v1/messages", As.backend(), event(bob).put("from", "shop"));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("delivered", 2));

      for (WsClient ws : List.of(phone, laptop)) {
        JsonObject frame = ws.awaitMessages(1).get(0);
        assertThat(frame.getBoolean("transient")).isTrue();
        assertThat(frame.containsKey("seq")).isFalse();
        assertThat(frame.getString("id")).isNotBlank();
        assertThat(frame.getString("from")).isEqualTo("shop");
        assertThat(frame.getString("to")).isEqualTo(bob);
        assertThat(frame.getJsonObject("body").getString("event")).isEqualTo("refresh");
      }
    }
    assertThat(api.log(token)).isEmpty();
  }

  @Test
  void anSseStreamGetsItAsAMessageEventWithoutId() {
    String bob = RelayStack.newUser("bob");
    String token = relay.token(bob);
    try (SseClient sse = SseClient.connect(relay.vertx, secondNode.port(), "/v1/sse?token=" + token, Map.of());
        WsClient ws = relay.connect(token)) {
      sse.awaitEvent("hello", e -> "hello".equals(e.name()));
      ws.hello();
      HttpResponse<Buffer> response = api.post("/v1/messages", As.backend(), event(bob));
      assertThat(response.bodyAsJsonObject().getInteger("delivered")).isEqualTo(2);
      SseClient.Event event = sse.awaitEvent("transient", e -> "message".equals(e.name()));
      assertThat(event.id()).isNull();
      assertThat(event.json().getBoolean("transient")).isTrue();
      assertThat(ws.awaitMessages(1).get(0).getBoolean("transient")).isTrue();
    }
  }

  @Test
  void anOfflineUserIsReachedByNoneAndGetsNothingLater() {
    String bob = RelayStack.newUser("bob");
    HttpResponse<Buffer> response = api.post("/v1/messages", As.backend(), event(bob));
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject().getInteger("delivered")).isZero();
    String token = relay.token(bob);
    try (WsClient ws = relay.connect(token)) {
      ws.hello();
      relay.sendText(relay.token(RelayStack.newUser("alice")), bob, "stored one");
      assertThat(ws.awaitMessages(1)).extracting(m -> m.getBoolean("transient")).containsOnlyNulls();
    }
  }

  @Test
  void aStoredMessageAfterATransientOneStillArrivesInOrder() {
    String bob = RelayStack.newUser("bob");
    try (WsClient ws = relay.connect(relay.token(bob))) {
      ws.hello();
      api.post("/v1/messages", As.backend(), event(bob));
      String stored = relay.sendText(relay.token(RelayStack.newUser("alice")), bob, "stored");
      List<JsonObject> messages = ws.awaitMessages(2);
      assertThat(messages.get(1).getString("id")).isEqualTo(stored);
      assertThat(messages.get(1).getString("seq")).matches("\\d+-\\d+");
    }
  }

  @Test
  void onlyABackendMaySendOneAndOnlyToAUser() {
    String bob = RelayStack.newUser("bob");
    assertError(api.post("/v1/messages", As.user(relay.token(RelayStack.newUser("alice"))), event(bob)),
        403, "forbidden");
    assertError(api.post("/v1/messages", As.backend(), event(bob).put("to", null).put("room", "r1")),
        400, "invalid_field");
    assertError(api.post("/v1/messages", As.backend(), event(bob).put("transient", "yes")), 400, "invalid_field");
    assertError(api.post("/v1/messages", As.backend(), event("bad id")), 400, "invalid_field");
    assertError(api.post("/v1/messages", As.backend(), event(bob).put("body", "x".repeat(2000))),
        413, "payload_too_large");
    assertError(api.post("/v1/messages", As.nobody(), event(bob)), 401, "unauthorized");
  }
}
