package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push-side limits against real processes: a user's connections counted across two push
 * nodes and all transports ({@code RELAY_MAX_CONNS_PER_USER}), and the client frame budget of a
 * connection ({@code RELAY_RATE_FRAMES_PER_SEC}).
 */
class PushLimitsIT {

  static final int MAX_CONNS = 3;
  static final int FRAMES_PER_SEC = 5;
  static final Duration WAIT = Duration.ofSeconds(15);

  static ProcessCluster cluster;
  static RedisProbe redis;

  @BeforeAll
  static void start() {
    cluster = new ProcessCluster(1, 2, 30, List.of(), Map.of(
        "RELAY_MAX_CONNS_PER_USER", Integer.toString(MAX_CONNS),
        "RELAY_RATE_FRAMES_PER_SEC", Integer.toString(FRAMES_PER_SEC)));
    redis = new RedisProbe(cluster.vertx, cluster.redis.url());
  }

  @AfterAll
  static void stop() {
    redis.close();
    cluster.close();
  }

  private static ServiceProcess push(int n) {
    return cluster.push.get(n);
  }

  private static Future<HttpResponse<Buffer>> poll(ServiceProcess node, String token) {
    return cluster.http.get(node.port(), "127.0.0.1", "/v1/poll?wait=20").putHeader("Authorization", "Bearer " + token)
        .timeout(30_000).send();
  }

  private static void assertRateLimited(int status, String retryAfter) {
    assertThat(status).isEqualTo(429);
    assertThat(Integer.parseInt(retryAfter)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aUsersConnectionsOnAllNodesAndTransportsShareOneBudgetAndAClosedOneFreesItsSlot() {
    String amy = RelayStack.newUser("amy");
    String token = cluster.token(amy);
    WsClient ws = cluster.connect(push(0), token, "");
    ws.hello();
    SseClient sse = SseClient.connect(cluster.vertx, push(1).port(), "/v1/sse?token=" + token, Map.of());
    sse.hello();
    Future<HttpResponse<Buffer>> held = poll(push(0), token);
    await().alias("three bindings").atMost(WAIT).until(() -> redis.setSize(RedisKeys.bindings(amy)) == MAX_CONNS);

    assertThatThrownBy(() -> cluster.connect(push(1), token, "")).isInstanceOfSatisfying(
        UpgradeRejectedException.class, e -> assertRateLimited(e.getStatus(), e.getHeaders().get("Retry-After")));
    try (SseClient refused = SseClient.connect(cluster.vertx, push(0).port(), "/v1/sse?token=" + token, Map.of())) {
      assertRateLimited(refused.status(), refused.header("Retry-After"));
      assertThat(refused.errorBody().getJsonObject("error").getString("code")).isEqualTo("rate_limited");
    }
    HttpResponse<Buffer> refusedPoll = poll(push(1), token).await();
    assertRateLimited(refusedPoll.statusCode(), refusedPoll.getHeader("Retry-After"));
    assertThat(redis.setSize(RedisKeys.bindings(amy))).as("refusals bind nothing").isEqualTo(MAX_CONNS);

    String bob = RelayStack.newUser("bob");
    try (WsClient other = cluster.connect(push(1), cluster.token(bob), "")) {
      other.hello(); // another user's budget is their own
    }

    ws.close();
    await().alias("the closed connection's slot is free").atMost(WAIT)
        .until(() -> redis.setSize(RedisKeys.bindings(amy)) == MAX_CONNS - 1);
    try (WsClient again = cluster.connect(push(1), token, "")) {
      again.hello();
    }
    sse.close();
    cluster.sendAsBackend(cluster.ingest.get(0), new JsonObject().put("to", amy).put("body", "wake"));
    assertThat(held.await().statusCode()).isEqualTo(200);
  }

  @Test
  void framesBeyondTheBudgetGetRateLimitedErrorsAndTheConnectionStays() {
    try (WsClient client = cluster.connect(push(1), cluster.token(RelayStack.newUser("cy")), "")) {
      client.hello();
      for (int i = 0; i < 30; i++) {
        client.send(new JsonObject().put("type", "ping"));
      }
      client.awaitFrame("30 answers", frame -> answers(client) == 30);
      long pongs = client.frames().stream().filter(f -> "pong".equals(f.getString("type"))).count();
      long limited = client.frames().stream().filter(f -> "error".equals(f.getString("type"))
          && "rate_limited".equals(f.getString("code"))).count();
      assertThat(pongs).as("a second's budget, and what refilled while sending").isBetween(
          (long) FRAMES_PER_SEC, 15L);
      assertThat(limited).isEqualTo(30 - pongs);

      await().alias("a pong once the budget refilled").atMost(WAIT).pollInterval(Duration.ofMillis(400)).until(() -> {
        client.send(new JsonObject().put("type", "ping"));
        return client.frames().stream().filter(f -> "pong".equals(f.getString("type"))).count() > pongs;
      });
      assertThat(client.closeCode()).isNull();
    }
  }

  private static long answers(WsClient client) {
    return client.frames().stream().filter(f -> "pong".equals(f.getString("type"))
        || "error".equals(f.getString("type"))).count();
  }
}
