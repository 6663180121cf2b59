package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/poll}: the WebSocket's log and cursor over long-poll, with real clients. */
class LongPollIT {

  static final String ALLOWED_ORIGIN = "https://chat.example";

  static TestRedis redis;
  static RelayStack relay;
  /** The push node's event loops. */
  static final int LOOPS = 2;
  static RedisProbe redisProbe;
  static PushProbe push;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    // Heartbeat 1 s: bindings live 2 s, so a poll held longer proves it refreshes its binding.
    // 50 held polls per user below: over the default connection limit, which is not what is tested here.
    relay = new RelayStack(redis, Map.of("RELAY_HEARTBEAT_SEC", "1", "RELAY_CORS_ORIGINS", ALLOWED_ORIGIN,
        "RELAY_MAX_CONNS_PER_USER", "100", "RELAY_EVENT_LOOPS", Integer.toString(LOOPS)));
    redisProbe = new RedisProbe(relay.vertx, redis.url());
    push = new PushProbe(relay, redisProbe);
  }

  @AfterAll
  static void stop() {
    redisProbe.close();
    relay.close();
    redis.close();
  }

  static Future<HttpResponse<Buffer>> poll(String query) {
    return relay.http.get(relay.push.port(), "127.0.0.1", "/v1/poll" + query).timeout(70_000).send();
  }

  static List<String> texts(JsonObject answer) {
    return answer.getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getJsonObject("body").getString("text")).toList();
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void pendingEntriesAreAnsweredAtOnceInOrderAfterSince() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    String bobToken = relay.token(bob);
    relay.sendText(aliceToken, bob, "1");
    relay.sendText(aliceToken, bob, "2");
    relay.sendText(aliceToken, bob, "3");
    JsonObject all = poll("?token=" + bobToken + "&since=0&wait=0").await().bodyAsJsonObject();
    String firstSeq = all.getJsonArray("messages").getJsonObject(0).getString("seq");

    long started = System.nanoTime();
    HttpResponse<Buffer> response = poll("?token=" + bobToken + "&since=" + firstSeq + "&wait=20").await();
    assertThat(millisSince(started)).isLessThan(2_000);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(texts(answer)).containsExactly("2", "3");
    JsonArray messages = answer.getJsonArray("messages");
    assertThat(answer.getString("next")).isEqualTo(messages.getJsonObject(1).getString("seq"));
    assertThat(answer.getBoolean("recovered")).isTrue();
    JsonObject frame = messages.getJsonObject(0);
    assertThat(frame.fieldNames()).contains("type", "seq", "id", "from", "to", "room", "body", "ts");
    assertThat(frame.getString("type")).isEqualTo("message");
  }

  @Test
  void heldPollIsWokenByANewMessageLongBeforeWaitAndBoundAsPollMeanwhile() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    Future<HttpResponse<Buffer>> held = poll("?token=" + relay.token(bob) + "&since=0&wait=20");
    await().atMost(WsClient.WAIT).until(() -> push.transports(bob).equals(List.of("poll")));
    await().atMost(WsClient.WAIT).until(() -> push.gauge("relay_polls_held") == 1);

    long sent = System.nanoTime();
    String id = relay.sendText(aliceToken, bob, "wake up");
    JsonObject answer = held.await().bodyAsJsonObject();
    assertThat(millisSince(sent)).as("answered after the send, in ms").isLessThan(3_000);
    assertThat(answer.getJsonArray("messages")).hasSize(1);
    assertThat(answer.getJsonArray("messages").getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(answer.getString("next")).isEqualTo(answer.getJsonArray("messages").getJsonObject(0).getString("seq"));
    await().atMost(WsClient.WAIT).until(() -> push.transports(bob).isEmpty());
    assertThat(push.gauge("relay_polls_held")).isZero();
    assertThat(push.gauge("relay_poll_timers")).isZero();
  }

  @Test
  void pollWithNothingNewAnswersEmptyWithSinceAsNextAfterWaitStayingBoundMeanwhile() {
    String bob = RelayStack.newUser("bob");
    String since = "1700000000000-5";
    long started = System.nanoTime();
    Future<HttpResponse<Buffer>> held = poll("?token=" + relay.token(bob) + "&since=" + since + "&wait=3");
    // Past the 2 s binding TTL: still bound, because the held poll refreshes its binding.
    await().pollDelay(Duration.ofMillis(2_500)).atMost(WsClient.WAIT)
        .until(() -> push.transports(bob).equals(List.of("poll")));
    HttpResponse<Buffer> response = held.await();
    assertThat(millisSince(started)).isBetween(2_900L, 6_000L);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("messages")).isEmpty();
    assertThat(response.bodyAsJsonObject().getString("next")).isEqualTo(since);
    await().atMost(WsClient.WAIT).until(() -> push.transports(bob).isEmpty());
  }

  @Test
  void waitZeroIsAPlainRead() {
    long started = System.nanoTime();
    JsonObject answer = poll("?token=" + relay.token(RelayStack.newUser("bob")) + "&since=0&wait=0").await()
        .bodyAsJsonObject();
    assertThat(millisSince(started)).isLessThan(2_000);
    assertThat(answer.getJsonArray("messages")).isEmpty();
    assertThat(answer.getString("next")).isEqualTo("0-0");
  }

  @Test
  void thousandAbandonedPollsLeaveNoTimerSubscriptionOrBindingBehind() {
    List<String> users = new ArrayList<>();
    List<String> requests = new ArrayList<>();
    for (int u = 0; u < 20; u++) {
      String uid = RelayStack.newUser("abandoner");
      users.add(uid);
      String token = relay.token(uid);
      for (int i = 0; i < 50; i++) {
        requests.add("GET /v1/poll?since=0&wait=60&token=" + token + " HTTP/1.1\r\nHost: relay\r\n\r\n");
      }
    }
    NetClient tcp = relay.vertx.createNetClient();
    List<NetSocket> sockets = new ArrayList<>();
    for (String request : requests) {
      NetSocket socket = tcp.connect(relay.push.port(), "127.0.0.1").await();
      socket.write(request);
      sockets.add(socket);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> push.gauge("relay_polls_held") == 1000);
    assertThat(push.gauge("relay_poll_timers")).isEqualTo(1000);
    // Each user's polls came in one after the other, so they landed on every event loop, and every
    // loop subscribes the user once.
    assertThat(push.gauge("relay_subscriptions")).isEqualTo(20.0 * LOOPS);
    // A poll is counted as held when it registers; its binding lands a Redis round trip later.
    await().atMost(WsClient.WAIT).until(() -> push.transports(users.get(0)).size() == 50);
    assertThat(push.transports(users.get(0))).containsOnly("poll");

    sockets.forEach(NetSocket::close);
    await().atMost(Duration.ofSeconds(20)).until(() -> push.gauge("relay_polls_held") == 0);
    assertThat(push.gauge("relay_poll_timers")).isZero();
    assertThat(push.gauge("relay_subscriptions")).isZero();
    assertThat(push.gauge("relay_connections")).isZero();
    await().atMost(WsClient.WAIT).until(() -> users.stream().allMatch(uid -> redisProbe.setSize(RedisKeys.bindings(uid)) == 0));
    tcp.close().await();
  }

  @Test
  void refusalsAreErrorsInTheSection7Format() {
    String token = relay.token(RelayStack.newUser("bob"));
    assertRefused("/v1/poll?since=0", null, 401, "unauthorized");
    assertRefused("/v1/poll?since=0&token=not-a-jwt", null, 401, "unauthorized");
    assertRefused("/v1/poll?since=0&token=" + token, "https://evil.example", 403, "forbidden");
    assertRefused("/v1/poll?since=yesterday&token=" + token, null, 400, "invalid_field");
    assertRefused("/v1/poll?since=0&wait=61&token=" + token, null, 400, "invalid_field");
    assertRefused("/v1/poll?since=0&wait=-1&token=" + token, null, 400, "invalid_field");
    assertRefused("/v1/poll?since=0&wait=soon&token=" + token, null, 400, "invalid_field");
    assertRefused("/v1/poll?device=has%20space&token=" + token, null, 400, "invalid_field");
    assertRefused("/v1/polls?since=0&token=" + token, null, 404, "not_found");
    var allowed = relay.http.get(relay.push.port(), "127.0.0.1", "/v1/poll?wait=0&token=" + token)
        .putHeader("Origin", ALLOWED_ORIGIN).send().await();
    assertThat(allowed.statusCode()).isEqualTo(200);
    var bearer = relay.http.get(relay.push.port(), "127.0.0.1", "/v1/poll?wait=0")
        .putHeader("Authorization", "Bearer " + token).send().await();
    assertThat(bearer.statusCode()).isEqualTo(200);
  }

  private static void assertRefused(String uri, String origin, int status, String code) {
    var request = relay.http.get(relay.push.port(), "127.0.0.1", uri);
    if (origin != null) {
      request.putHeader("Origin", origin);
    }
    HttpResponse<Buffer> response = request.send().await();
    assertThat(response.statusCode()).as(uri).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).as(uri).isEqualTo(code);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).isNotBlank();
  }
}
