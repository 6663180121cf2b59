package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/ack}: moves the device cursor that every transport resumes from without {@code since}. */
class AckEndpointIT {

  static final String ALLOWED_ORIGIN = "https://chat.example";

  static TestRedis redis;
  static RelayStack relay;
  static RedisProbe redisProbe;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of("RELAY_CORS_ORIGINS", ALLOWED_ORIGIN));
    redisProbe = new RedisProbe(relay.vertx, redis.url());
  }

  @AfterAll
  static void stop() {
    redisProbe.close();
    relay.close();
    redis.close();
  }

  static HttpRequest<Buffer> ackRequest(String query) {
    return relay.http.post(relay.push.port(), "127.0.0.1", "/v1/ack" + query);
  }

  static HttpResponse<Buffer> ack(String token, JsonObject body) {
    return ackRequest("").putHeader("Authorization", "Bearer " + token).sendJsonObject(body).await();
  }

  /** Sends three messages to a new user and returns [uid, token, seq1, seq2, seq3]. */
  static List<String> userWithThreeMessages() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    for (String text : List.of("1", "2", "3")) {
      relay.sendText(aliceToken, bob, text);
    }
    String token = relay.token(bob);
    JsonObject all = relay.http.get(relay.push.port(), "127.0.0.1", "/v1/poll?wait=0&token=" + token).send().await()
        .bodyAsJsonObject();
    List<String> seqs = all.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("seq")).toList();
    assertThat(seqs).hasSize(3);
    return List.of(bob, token, seqs.get(0), seqs.get(1), seqs.get(2));
  }

  @Test
  void ackMovesTheCursorThatWebSocketPollAndSseResumeFromWithoutSince() {
    List<String> bob = userWithThreeMessages();
    String token = bob.get(1);
    HttpResponse<Buffer> acked = ack(token, new JsonObject().put("seq", bob.get(3)).put("device", "phone"));
    assertThat(acked.statusCode()).isEqualTo(200);
    assertThat(acked.bodyAsJsonObject()).isEqualTo(new JsonObject().put("seq", bob.get(3)).put("device", "phone"));

    try (WsClient ws = relay.connect(relay.push, token, "&device=phone")) {
      ws.hello();
      assertThat(ws.awaitMessages(1)).extracting(m -> m.getString("seq")).containsExactly(bob.get(4));
    }
    JsonObject polled = relay.http.get(relay.push.port(), "127.0.0.1", "/v1/poll?wait=0&device=phone&token=" + token)
        .send().await().bodyAsJsonObject();
    assertThat(polled.getJsonArray("messages")).hasSize(1);
    assertThat(polled.getString("next")).isEqualTo(bob.get(4));
    try (SseClient sse = SseClient.connect(relay.vertx, relay.push.port(), "/v1/sse?device=phone&token=" + token,
        Map.of())) {
      assertThat(sse.awaitMessages(1)).extracting(SseClient.Event::id).containsExactly(bob.get(4));
    }
  }

  @Test
  void olderAckNeverMovesTheCursorBackAndDeviceDefaultsToDefault() {
    List<String> bob = userWithThreeMessages();
    HttpResponse<Buffer> newer = ackRequest("?token=" + bob.get(1)).sendJsonObject(new JsonObject().put("seq", bob.get(4)))
        .await();
    assertThat(newer.statusCode()).isEqualTo(200);
    assertThat(newer.bodyAsJsonObject().getString("device")).isEqualTo("default");
    assertThat(ack(bob.get(1), new JsonObject().put("seq", bob.get(2))).statusCode()).isEqualTo(200);
    assertThat(redisProbe.send(Command.HGET, RedisKeys.cursors(bob.get(0)), "default").toString()).isEqualTo(bob.get(4));
  }

  @Test
  void refusalsAreErrorsInTheSection7Format() {
    List<String> bob = userWithThreeMessages();
    String token = bob.get(1);
    JsonObject good = new JsonObject().put("seq", bob.get(2));
    assertRefused(ackRequest("").sendJsonObject(good).await(), 401, "unauthorized");
    assertRefused(ack("not-a-jwt", good), 401, "unauthorized");
    assertRefused(ackRequest("?token=" + token).putHeader("Origin", "https://evil.example").sendJsonObject(good)
        .await(), 403, "forbidden");
    assertRefused(ackRequest("?token=" + token).sendBuffer(Buffer.buffer("{not json")).await(), 400, "invalid_json");
    assertRefused(ackRequest("?token=" + token).sendBuffer(Buffer.buffer("[\"1-0\"]")).await(), 400, "invalid_json");
    assertRefused(ackRequest("?token=" + token).send().await(), 400, "invalid_json");
    assertRefused(ack(token, new JsonObject()), 400, "invalid_field");
    assertRefused(ack(token, new JsonObject().put("seq", "soon")), 400, "invalid_field");
    assertRefused(ack(token, new JsonObject().put("seq", 17)), 400, "invalid_field");
    assertRefused(ack(token, good.copy().put("device", "has space")), 400, "invalid_field");
    assertRefused(ack(token, new JsonObject().put("seq", "99999999999999-0")), 400, "invalid_field");
    assertRefused(ack(token, good.copy().put("pad", "x".repeat(2_000))), 413, "payload_too_large");
    assertRefused(relay.http.get(relay.push.port(), "127.0.0.1", "/v1/acks").send().await(), 404, "not_found");
    assertRefused(relay.http.get(relay.push.port(), "127.0.0.1", "/v1/ack").send().await(), 405, "method_not_allowed");
    assertThat(redisProbe.exists(RedisKeys.cursors(bob.get(0)))).as("nothing stored by a refused ack").isFalse();
    HttpResponse<Buffer> allowed = ackRequest("?token=" + token).putHeader("Origin", ALLOWED_ORIGIN)
        .sendJsonObject(good).await();
    assertThat(allowed.statusCode()).isEqualTo(200);
  }

  private static void assertRefused(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }
}
