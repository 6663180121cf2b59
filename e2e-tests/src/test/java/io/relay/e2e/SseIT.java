package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/sse}: the WebSocket's semantics over Server-Sent Events, with real clients. */
class SseIT {

  static final String ALLOWED_ORIGIN = "https://chat.example";

  static TestRedis redis;
  static RelayStack relay;
  static RedisProbe redisProbe;
  static PushProbe push;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of("RELAY_HEARTBEAT_SEC", "1", "RELAY_CORS_ORIGINS", ALLOWED_ORIGIN));
    redisProbe = new RedisProbe(relay.vertx, redis.url());
    push = new PushProbe(relay, redisProbe);
  }

  @AfterAll
  static void stop() {
    redisProbe.close();
    relay.close();
    redis.close();
  }

  private static SseClient sse(String query, Map<String, String> headers) {
    return SseClient.connect(relay.vertx, relay.push.port(), "/v1/sse" + query, headers);
  }

  private static List<String> texts(List<SseClient.Event> events) {
    return events.stream().map(e -> e.json().getJsonObject("body").getString("text")).toList();
  }

  @Test
  void streamOpensWithHelloProxyHeadersAndHeartbeatComments() {
    String bob = RelayStack.newUser("bob");
    try (SseClient sse = sse("", Map.of("Authorization", "Bearer " + relay.token(bob), "Accept-Encoding", "gzip"))) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.header("Content-Type")).isEqualTo("text/event-stream");
      assertThat(sse.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(sse.header("X-Accel-Buffering")).isEqualTo("no");
      assertThat(sse.header("Content-Encoding")).isNull();
      JsonObject hello = sse.hello().json();
      assertThat(hello.getString("uid")).isEqualTo(bob);
      assertThat(hello.getInteger("heartbeatSec")).isEqualTo(1);
      assertThat(hello.getBoolean("recovered")).isTrue();
      await().atMost(WsClient.WAIT).until(() -> sse.comments().contains("ping"));
      assertThat(sse.events()).extracting(SseClient.Event::name).containsOnly("hello");
      assertThat(push.transports(bob)).containsExactly("sse");
    }
  }

  @Test
  void lastEventIdResumesAfterThatEntryInOrderThenLive() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    String bobToken = relay.token(bob);
    relay.sendText(aliceToken, bob, "1");
    String first;
    try (SseClient sse = sse("?token=" + bobToken, Map.of())) {
      first = sse.awaitMessages(1).get(0).id();
    }
    relay.sendText(aliceToken, bob, "2");
    relay.sendText(aliceToken, bob, "3");
    try (SseClient sse = sse("?token=" + bobToken + "&since=0", Map.of("Last-Event-ID", first))) {
      List<SseClient.Event> replayed = sse.awaitMessages(2);
      assertThat(texts(replayed)).containsExactly("2", "3");
      relay.sendText(aliceToken, bob, "4");
      List<SseClient.Event> all = sse.awaitMessages(3);
      assertThat(texts(all)).containsExactly("2", "3", "4");
      assertThat(all).allSatisfy(e -> {
        assertThat(e.id()).isEqualTo(e.json().getString("seq"));
        assertThat(e.json().getString("type")).isEqualTo("message");
      });
      assertThat(all.get(0).id()).isGreaterThan(first);
    }
  }

  @Test
  void sinceParameterResumesWhenThereIsNoLastEventId() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    relay.sendText(aliceToken, bob, "old");
    relay.sendText(aliceToken, bob, "new");
    try (SseClient sse = sse("?token=" + relay.token(bob), Map.of())) {
      String oldSeq = sse.awaitMessages(2).get(0).id();
      try (SseClient resumed = sse("?token=" + relay.token(bob) + "&since=" + oldSeq, Map.of())) {
        resumed.hello();
        assertThat(texts(resumed.awaitMessages(1))).containsExactly("new");
      }
    }
  }

  @Test
  void sseAndWebSocketOfOneUserBothGetEveryMessageAndReleaseEverythingOnClose() {
    String bob = RelayStack.newUser("bob");
    String bobToken = relay.token(bob);
    SseClient sse = sse("?token=" + bobToken, Map.of());
    WsClient ws = relay.connect(bobToken);
    sse.hello();
    ws.hello();
    assertThat(push.transports(bob)).containsExactlyInAnyOrder("sse", "ws");
    String id = relay.sendText(relay.token(RelayStack.newUser("alice")), bob, "both");
    assertThat(sse.awaitMessages(1).get(0).json().getString("id")).isEqualTo(id);
    assertThat(ws.awaitMessages(1).get(0).getString("id")).isEqualTo(id);
    sse.close();
    ws.close();
    await().atMost(WsClient.WAIT).until(() -> push.gauge("relay_connections") == 0
        && push.gauge("relay_subscriptions") == 0 && push.transports(bob).isEmpty());
  }

  @Test
  void streamEndsWithACloseEvent4001WhenTheTokenExpires() {
    try (SseClient sse = sse("?token=" + relay.token(RelayStack.newUser("bob"), 1), Map.of())) {
      sse.hello();
      JsonObject close = sse.awaitEvent("close", e -> "close".equals(e.name())).json();
      assertThat(close.getInteger("code")).isEqualTo(4001);
      await().atMost(WsClient.WAIT).until(sse::ended);
    }
  }

  @Test
  void refusalsAreErrorsInTheSection7Format() {
    String token = relay.token(RelayStack.newUser("bob"));
    assertRefused(sse("", Map.of()), 401, "unauthorized");
    assertRefused(sse("?token=not-a-jwt", Map.of()), 401, "unauthorized");
    assertRefused(sse("", Map.of("Authorization", "Bearer not-a-jwt")), 401, "unauthorized");
    assertRefused(sse("?token=" + token, Map.of("Origin", "https://evil.example")), 403, "forbidden");
    assertRefused(sse("?token=" + token, Map.of("Last-Event-ID", "yesterday")), 400, "invalid_field");
    assertRefused(sse("?token=" + token + "&since=-1", Map.of()), 400, "invalid_field");
    assertRefused(sse("?token=" + token + "&device=has%20space", Map.of()), 400, "invalid_field");
    try (SseClient allowed = sse("?token=" + token, Map.of("Origin", ALLOWED_ORIGIN))) {
      assertThat(allowed.status()).isEqualTo(200);
      allowed.hello();
    }
  }

  private static void assertRefused(SseClient sse, int status, String code) {
    try (sse) {
      assertThat(sse.status()).isEqualTo(status);
      assertThat(sse.errorBody().getJsonObject("error").getString("code")).isEqualTo(code);
    }
  }
}
