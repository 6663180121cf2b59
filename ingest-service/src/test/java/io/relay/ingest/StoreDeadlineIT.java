package io.relay.ingest;

import static io.relay.ingest.IngestHarness.assertError;
import static io.relay.ingest.IngestHarness.newUser;
import static io.relay.ingest.IngestHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.RedisProcess;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "A 503 means not stored, or says how to find out": a store whose reply comes back too late is
 * answered 503 with the clientMsgId that guards it (the server's own when the client gave none),
 * and a retry with it answers 200 duplicate; the store deadline follows Redis's clock, so a node
 * whose clock is off neither refuses every write nor lets a late one through.
 */
class StoreDeadlineIT {

  static final long REDIS_TIMEOUT_MS = 1000;
  /** Far beyond what NTP would allow, and beyond half the Redis timeout. */
  static final long SKEW_MS = 10_000;

  static RedisProcess server;

  @BeforeAll
  static void start() {
    server = RedisProcess.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aStoredMessageWhoseReplyCameTooLateIsAnswered503WithAClientMsgIdThatMakesTheRetryADuplicate() {
    try (IngestHarness node = IngestHarness.start(server, Map.of("RELAY_REDIS_TIMEOUT_MS", "" + REDIS_TIMEOUT_MS));
        ReplyDelayingProxy proxy = new ReplyDelayingProxy(node.vertx, server.url());
        IngestHarness viaProxy = IngestHarness.start(server, Map.of("REDIS_URL", proxy.url(),
            "RELAY_REDIS_TIMEOUT_MS", "" + REDIS_TIMEOUT_MS))) {
      String alice = newUser("alice");
      String bob = newUser("bob");
      String token = viaProxy.token(alice);
      warmUp(viaProxy, token);

      proxy.delayRepliesMs(REDIS_TIMEOUT_MS + 500);
      HttpResponse<Buffer> late = viaProxy.sendAs(token, text(bob, "stored, but the reply was late"));
      proxy.delayRepliesMs(0);

      assertError(late, 503, "unavailable");
      String clientMsgId = late.bodyAsJsonObject().getJsonObject("error").getString("clientMsgId");
      assertThat(clientMsgId).as(late.bodyAsString()).startsWith("srv-");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.xlen(bob) == 1);

      HttpResponse<Buffer> retry = viaProxy.sendAs(token, text(bob, "stored, but the reply was late")
          .put("clientMsgId", clientMsgId));
      assertThat(retry.statusCode()).as(retry.bodyAsString()).isEqualTo(200);
      assertThat(retry.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
      assertThat(node.xlen(bob)).as("stored once").isEqualTo(1);
      assertThat(new JsonObject(node.redis(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.XRANGE)
          .arg(io.relay.model.RedisKeys.log(bob)).arg("-").arg("+")).get(0).get(1).get(1).toString()).getString("id"))
          .isEqualTo(retry.bodyAsJsonObject().getString("id"));
    }
  }

  @Test
  void aChannelPublishWhoseReplyCameTooLateIsAnswered503WithAClientMsgIdThatMakesTheRetryADuplicate() {
    try (IngestHarness node = IngestHarness.start(server, Map.of("RELAY_REDIS_TIMEOUT_MS", "" + REDIS_TIMEOUT_MS));
        ReplyDelayingProxy proxy = new ReplyDelayingProxy(node.vertx, server.url());
        IngestHarness viaProxy = IngestHarness.start(server, Map.of("REDIS_URL", proxy.url(),
            "RELAY_REDIS_TIMEOUT_MS", "" + REDIS_TIMEOUT_MS))) {
      String channel = newUser("show");
      warmUp(viaProxy, viaProxy.token(newUser("alice")));
      // Loads the channel script too, so the delayed call below is one EVALSHA that runs.
      assertThat(viaProxy.publishAsBackend(newUser("warm"), new JsonObject().put("body", "w")).statusCode())
          .isEqualTo(201);
      io.vertx.redis.client.Request historyLength = io.vertx.redis.client.Request
          .cmd(io.vertx.redis.client.Command.XLEN).arg(io.relay.model.RedisKeys.channelHistory(channel));

      proxy.delayRepliesMs(REDIS_TIMEOUT_MS + 500);
      HttpResponse<Buffer> late = viaProxy.publishAsBackend(channel, new JsonObject().put("body", "seat 7 sold"));
      proxy.delayRepliesMs(0);

      assertError(late, 503, "unavailable");
      String clientMsgId = late.bodyAsJsonObject().getJsonObject("error").getString("clientMsgId");
      assertThat(clientMsgId).as(late.bodyAsString()).startsWith("srv-");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.redis(historyLength).toInteger() == 1);
      HttpResponse<Buffer> retry = viaProxy.publishAsBackend(channel,
          new JsonObject().put("body", "seat 7 sold").put("clientMsgId", clientMsgId));
      assertThat(retry.statusCode()).as(retry.bodyAsString()).isEqualTo(200);
      assertThat(retry.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
      assertThat(node.redis(historyLength).toInteger()).as("stored once").isEqualTo(1);
    }
  }

  @Test
  void aClientMsgIdTheClientGaveIsTheOneThe503Names() {
    try (IngestHarness node = IngestHarness.start(server, Map.of("RELAY_REDIS_TIMEOUT_MS", "" + REDIS_TIMEOUT_MS));
        ReplyDelayingProxy proxy = new ReplyDelayingProxy(node.vertx, server.url());
        IngestHarness viaProxy = IngestHarness.start(server, Map.of("REDIS_URL", proxy.url(),
            "RELAY_REDIS_TIMEOUT_MS", "" + REDIS_TIMEOUT_MS))) {
      String token = viaProxy.token(newUser("alice"));
      warmUp(viaProxy, token);
      proxy.delayRepliesMs(REDIS_TIMEOUT_MS + 500);
      HttpResponse<Buffer> late = viaProxy.sendAs(token, text(newUser("bob"), "x").put("clientMsgId", "mine-1"));
      proxy.delayRepliesMs(0);
      assertError(late, 503, "unavailable");
      assertThat(late.bodyAsJsonObject().getJsonObject("error").getString("clientMsgId")).isEqualTo("mine-1");
    }
  }

  @Test
  void aRedisClockFarAheadOfTheNodesDoesNotMakeEveryWriteLate() {
    try (IngestHarness behind = IngestHarness.start(server, Map.of("RELAY_REDIS_TIMEOUT_MS", "" + REDIS_TIMEOUT_MS),
        () -> System.currentTimeMillis() - SKEW_MS)) {
      String alice = newUser("alice");
      HttpResponse<Buffer> sent = behind.sendAs(behind.token(alice), text(newUser("bob"), "hi"));
      assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
      assertThat(behind.xlen(alice)).isEqualTo(1);
    }
  }

  @Test
  void aNodeClockFarAheadOfRedisStillNeverStoresWhatItAnswered503() throws Exception {
    try (RedisProcess hung = RedisProcess.start();
        IngestHarness ahead = IngestHarness.start(hung, Map.of("RELAY_REDIS_TIMEOUT_MS", "" + REDIS_TIMEOUT_MS),
            () -> System.currentTimeMillis() + SKEW_MS)) {
      String alice = newUser("alice");
      String bob = newUser("bob");
      String token = ahead.token(alice);
      assertThat(ahead.sendAs(token, text(bob, "before")).statusCode()).isEqualTo(201);

      signal(hung, "STOP");
      HttpResponse<Buffer> refused;
      try {
        refused = ahead.sendAs(token, text(bob, "while hung"));
      } finally {
        signal(hung, "CONT");
      }

      assertError(refused, 503, "unavailable");
      Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertThat(ahead.xlen(bob)).as("a message answered 503 must not be stored").isEqualTo(1));
    }
  }

  /**
   * One send first, so Redis has the script cached: else the first EVALSHA's NOSCRIPT reply is
   * the one delayed, and the EVAL after it comes too late to store anything.
   */
  private static void warmUp(IngestHarness node, String token) {
    assertThat(node.sendAs(token, text(newUser("someone"), "warm-up")).statusCode()).isEqualTo(201);
  }

  /** Sends SIGSTOP / SIGCONT to a Redis process this test started. */
  private static void signal(RedisProcess redis, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(redis.pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
  }
}
