package io.relay.ingest;

import static io.relay.ingest.IngestHarness.assertError;
import static io.relay.ingest.IngestHarness.await;
import static io.relay.ingest.IngestHarness.newUser;
import static io.relay.ingest.IngestHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The send limits: a user token's and an API key's budget (token bucket in Redis, taken by the
 * storing script), answered {@code 429 rate_limited} with {@code Retry-After} and nothing stored;
 * one budget across ingest nodes; refill; repeats spend nothing.
 */
class SendLimitIT {

  /** Small enough that a test spends it at once, slow enough that it does not refill meanwhile. */
  static final int BURST = 5;

  static TestRedis server;
  static IngestHarness nodeA;
  static IngestHarness nodeB;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    // Two nodes of one deployment: one secret, so a token works on both.
    Map<String, String> limits = Map.of("RELAY_RATE_USER_PER_SEC", "1", "RELAY_RATE_USER_BURST", Integer.toString(BURST),
        "RELAY_RATE_KEY_PER_SEC", "1", "RELAY_JWT_SECRET", "send-limit-secret-" + java.util.UUID.randomUUID());
    nodeA = IngestHarness.start(server, limits);
    nodeB = IngestHarness.start(server, limits);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, server}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  @Test
  void aUserSendsItsBurstThenGets429WithRetryAfterAndNothingIsStored() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String token = nodeA.token(alice);
    double limitedBefore = nodeA.ingest.metrics().rateLimited.count();
    for (int i = 0; i < BURST; i++) {
      assertThat(nodeA.sendAs(token, text(bob, "m" + i).put("clientMsgId", "c" + i)).statusCode()).isEqualTo(201);
    }

    HttpResponse<Buffer> refused = nodeA.sendAs(token, text(bob, "one too many").put("clientMsgId", "over"));

    assertError(refused, 429, "rate_limited");
    assertThat(Integer.parseInt(refused.getHeader("Retry-After"))).isGreaterThanOrEqualTo(1);
    assertThat(nodeA.xlen(bob)).isEqualTo(BURST);
    assertThat(nodeA.xlen(alice)).isEqualTo(BURST);
    assertThat(nodeA.exists(RedisKeys.idempotency(alice, "over"))).isFalse();
    assertThat(nodeA.ingest.metrics().rateLimited.count()).isEqualTo(limitedBefore + 1);
    assertThat(await(nodeA.request(HttpMethod.GET, "/metrics").send()).bodyAsString())
        .contains("relay_rate_limited_total");
  }

  @Test
  void aRepeatSpendsNoBudgetAndIsAnsweredDuplicateEvenWhenTheBudgetIsSpent() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String token = nodeA.token(alice);
    HttpResponse<Buffer> first = nodeA.sendAs(token, text(bob, "once").put("clientMsgId", "same"));
    assertThat(first.statusCode()).isEqualTo(201);
    for (int i = 0; i < BURST + 2; i++) {
      HttpResponse<Buffer> repeat = nodeA.sendAs(token, text(bob, "once").put("clientMsgId", "same"));
      assertThat(repeat.statusCode()).as(repeat.bodyAsString()).isEqualTo(200);
      assertThat(repeat.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    }
    for (int i = 1; i < BURST; i++) {
      assertThat(nodeA.sendAs(token, text(bob, "m" + i)).statusCode()).as("repeats spent nothing").isEqualTo(201);
    }
    assertError(nodeA.sendAs(token, text(bob, "over")), 429, "rate_limited");
  }

  @Test
  void oneUserSendingThroughTwoNodesHasOneBudget() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String token = nodeA.token(alice);
    for (int i = 0; i < BURST; i++) {
      IngestHarness node = i % 2 == 0 ? nodeA : nodeB;
      assertThat(node.sendAs(token, text(bob, "m" + i)).statusCode()).isEqualTo(201);
    }
    assertError(nodeB.sendAs(token, text(bob, "over via B")), 429, "rate_limited");
    assertError(nodeA.sendAs(token, text(bob, "over via A")), 429, "rate_limited");
    assertThat(nodeA.xlen(bob)).isEqualTo(BURST);
  }

  @Test
  void theBudgetRefillsAtItsRate() {
    try (IngestHarness fast = IngestHarness.start(server, Map.of("RELAY_RATE_USER_PER_SEC", "4",
        "RELAY_RATE_USER_BURST", "1"))) {
      String alice = newUser("alice");
      String bob = newUser("bob");
      String token = fast.token(alice);
      assertThat(fast.sendAs(token, text(bob, "first")).statusCode()).isEqualTo(201);
      HttpResponse<Buffer> refused = fast.sendAs(token, text(bob, "too soon"));
      assertError(refused, 429, "rate_limited");
      assertThat(refused.getHeader("Retry-After")).isEqualTo("1");

      // 4 per second: a token is back within a quarter of a second.
      Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
          .until(() -> fast.sendAs(token, text(bob, "later")).statusCode() == 201);
      assertThat(fast.xlen(bob)).isEqualTo(2);
    }
  }

  @Test
  void anApiKeyHasItsOwnBudgetOfTwiceItsRate() {
    String bob = newUser("bob");
    // RELAY_RATE_KEY_PER_SEC=1: a burst of 2. The test key is shared by the tests of this class,
    // so its bucket is reset first.
    nodeA.redis(Request.cmd(Command.DEL).arg(RedisKeys.backendRate(keyTag())));
    assertThat(nodeA.sendAsBackend(text(bob, "k1")).statusCode()).isEqualTo(201);
    assertThat(nodeB.sendAsBackend(text(bob, "k2")).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> refused = nodeA.sendAsBackend(text(bob, "k3"));
    assertError(refused, 429, "rate_limited");
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertThat(nodeA.xlen(bob)).isEqualTo(2);
    // A user's budget is its own.
    assertThat(nodeA.sendAs(nodeA.token(newUser("carol")), text(bob, "user")).statusCode()).isEqualTo(201);
  }

  @Test
  void apiKeysAreUnlimitedByDefault() {
    try (IngestHarness defaults = IngestHarness.start(server, Map.of())) {
      String bob = newUser("bob");
      for (int i = 0; i < 60; i++) {
        assertThat(defaults.sendAsBackend(text(bob, "k" + i)).statusCode()).isEqualTo(201);
      }
      assertThat(defaults.xlen(bob)).isEqualTo(60);
    }
  }

  @Test
  void theDefaultUserLimitIs40AtOnce() {
    try (IngestHarness defaults = IngestHarness.start(server, Map.of())) {
      String alice = newUser("alice");
      String bob = newUser("bob");
      String token = defaults.token(alice);
      int stored = 0;
      HttpResponse<Buffer> last;
      long started = System.nanoTime();
      do {
        last = defaults.sendAs(token, text(bob, "m" + stored));
        stored += last.statusCode() == 201 ? 1 : 0;
      } while (last.statusCode() == 201 && stored < 1000);
      double seconds = (System.nanoTime() - started) / 1e9;
      assertError(last, 429, "rate_limited");
      // 40 at once, plus what 20 per second refilled while they were sent.
      assertThat(stored).isBetween(40, 40 + (int) Math.ceil(20 * seconds));
      assertThat(defaults.xlen(bob)).isEqualTo(stored);
    }
  }

  @Test
  void roomsSpendTheSameBudgetAndARefusedRoomMessageStoresNothing() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String room = newUser("room");
    String token = nodeA.token(alice);
    HttpResponse<Buffer> created = await(nodeA.request(HttpMethod.POST, "/v1/rooms")
        .putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("id", room).put("members", new JsonArray().add(bob))));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    for (int i = 1; i < BURST; i++) {
      JsonObject message = new JsonObject().put("room", room).put("body", "r" + i);
      assertThat(nodeA.sendAs(token, message).statusCode()).isEqualTo(201);
    }
    assertError(nodeA.sendAs(token, new JsonObject().put("room", room).put("body", "over")), 429, "rate_limited");
    assertThat(nodeA.redis(Request.cmd(Command.XLEN).arg(RedisKeys.roomHistory(room))).toInteger())
        .isEqualTo(BURST - 1);
    HttpResponse<Buffer> add = await(nodeA.request(HttpMethod.PUT, "/v1/rooms/" + room + "/members/" + newUser("dan"))
        .putHeader("Authorization", "Bearer " + token).send());
    assertError(add, 429, "rate_limited");
  }

  @Test
  void channelPublishesSpendTheSameBudgetAndARefusedOneStoresNothing() {
    String alice = newUser("alice");
    String channel = newUser("show");
    String token = nodeA.tokenWithChannels(alice, java.util.List.of(), java.util.List.of(channel));
    assertThat(nodeA.sendAs(token, text(newUser("bob"), "first")).statusCode()).isEqualTo(201);
    for (int i = 1; i < BURST; i++) {
      HttpResponse<Buffer> published = nodeB.publishAs(token, channel, new JsonObject().put("body", "p" + i));
      assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    }

    HttpResponse<Buffer> refused = nodeA.publishAs(token, channel, new JsonObject().put("body", "over"));

    assertError(refused, 429, "rate_limited");
    assertThat(Integer.parseInt(refused.getHeader("Retry-After"))).isGreaterThanOrEqualTo(1);
    assertThat(nodeA.redis(Request.cmd(Command.XLEN).arg(RedisKeys.channelHistory(channel))).toInteger())
        .isEqualTo(BURST - 1);
  }

  /** The fingerprint of the test API key, as the ingest computes it. */
  private static String keyTag() {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(IngestHarness.API_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
