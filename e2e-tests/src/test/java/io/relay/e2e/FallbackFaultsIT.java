package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.push.PushNode;
import io.relay.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fallbacks when Redis is gone (503) and when their push node shuts down. */
class FallbackFaultsIT {

  static TestRedis redis;
  static RelayStack relay;
  static RedisProbe redisProbe;

  @BeforeAll
  static void start() {
    redis = TestRedis.startKillable();
    relay = RelayStack.start(redis);
    redisProbe = new RedisProbe(relay.vertx, redis.url());
  }

  @AfterAll
  static void stop() {
    redisProbe.close();
    relay.close();
    redis.close();
  }

  @Test
  void redisDownIsA503OnEveryFallbackUntilItIsBack() {
    String token = relay.token(RelayStack.newUser("bob"));
    int port = relay.push.port();
    redis.kill();
    try {
      assertUnavailable(relay.http.get(port, "127.0.0.1", "/v1/poll?since=0&wait=5&token=" + token).send().await());
      assertUnavailable(relay.http.post(port, "127.0.0.1", "/v1/ack?token=" + token)
          .sendJsonObject(new JsonObject().put("seq", "1-0")).await());
      try (SseClient sse = SseClient.connect(relay.vertx, port, "/v1/sse?token=" + token, Map.of())) {
        assertThat(sse.status()).isEqualTo(503);
        assertThat(sse.errorBody().getJsonObject("error").getString("code")).isEqualTo("unavailable");
      }
    } finally {
      redis.restart();
    }
    await().atMost(WsClient.WAIT).until(() ->
        relay.http.get(port, "127.0.0.1", "/v1/poll?wait=0&token=" + token).send().await().statusCode() == 200);
  }

  @Test
  void shutdownAnswersHeldPollsEmptyAndEndsStreamsWith1012() {
    String bob = RelayStack.newUser("bob");
    String token = relay.token(bob);
    PushNode leaving = relay.addPushNode();
    PushProbe probe = new PushProbe(relay, redisProbe);
    Future<HttpResponse<Buffer>> held = relay.http.get(leaving.port(), "127.0.0.1",
        "/v1/poll?since=0&wait=30&token=" + token).send();
    try (SseClient sse = SseClient.connect(relay.vertx, leaving.port(), "/v1/sse?token=" + token, Map.of())) {
      sse.hello();
      await().atMost(WsClient.WAIT).until(() -> probe.transports(bob).size() == 2);
      long stopping = System.nanoTime();
      relay.stopPushNode(leaving);
      JsonObject answer = held.await().bodyAsJsonObject();
      assertThat((System.nanoTime() - stopping) / 1_000_000).isLessThan(5_000);
      assertThat(answer.getJsonArray("messages")).isEmpty();
      assertThat(answer.getString("next")).isEqualTo("0-0");
      assertThat(sse.awaitEvent("close", e -> "close".equals(e.name())).json().getInteger("code")).isEqualTo(1012);
      await().atMost(WsClient.WAIT).until(sse::ended);
    }
    assertThat(probe.transports(bob)).isEmpty();
  }

  private static void assertUnavailable(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isNotNull();
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unavailable");
  }
}
