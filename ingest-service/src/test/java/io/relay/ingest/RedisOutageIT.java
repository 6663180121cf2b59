package io.relay.ingest;

import static io.relay.ingest.IngestHarness.assertError;
import static io.relay.ingest.IngestHarness.await;
import static io.relay.ingest.IngestHarness.newUser;
import static io.relay.ingest.IngestHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.RedisProcess;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md when Redis fails: a send answers {@code 503 unavailable} in bounded time and stores nothing,
 * readiness goes down while liveness stays up, and the service recovers on its own.
 */
class RedisOutageIT {

  static final long REDIS_TIMEOUT_MS = 1000;

  static TestRedis server;
  static IngestHarness relay;

  @BeforeAll
  static void start() {
    server = TestRedis.startKillable();
    relay = IngestHarness.start(server, Map.of("RELAY_REDIS_TIMEOUT_MS", Long.toString(REDIS_TIMEOUT_MS)));
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void killedRedisMeansQuick503AndRecoveryWithoutLosingAcknowledgedMessages() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String token = relay.token(alice);
    List<String> acknowledged = new ArrayList<>();
    acknowledged.add(sendOk(token, text(bob, "before 1")));
    acknowledged.add(sendOk(token, text(bob, "before 2")));
    double errorsBefore = relay.ingest.metrics().redisErrors.count();

    server.kill();
    try {
      long started = System.nanoTime();
      HttpResponse<Buffer> refused = relay.sendAs(token, text(bob, "while down"));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;

      assertError(refused, 503, "unavailable");
      assertThat(refused.getHeader("Retry-After")).isNotBlank();
      assertThat(elapsedMs).as("time to answer while Redis is down").isLessThan(3 * REDIS_TIMEOUT_MS);
      for (int i = 0; i < 3; i++) {
        assertError(relay.sendAs(token, text(bob, "still down " + i).put("clientMsgId", "down-" + i)), 503, "unavailable");
      }
      assertError(get("/health/ready"), 503, "unavailable");
      assertThat(get("/health/live").statusCode()).isEqualTo(200);
      assertThat(relay.ingest.metrics().redisErrors.count()).isGreaterThan(errorsBefore);
    } finally {
      server.restart();
    }

    AtomicReference<HttpResponse<Buffer>> recovered = new AtomicReference<>();
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
      recovered.set(relay.sendAs(token, text(bob, "after restart")));
      return recovered.get().statusCode() != 503;
    });
    assertThat(recovered.get().statusCode()).as(recovered.get().bodyAsString()).isEqualTo(201);
    acknowledged.add(recovered.get().bodyAsJsonObject().getString("id"));

    assertThat(idsInLog(bob)).isEqualTo(acknowledged);
    assertThat(idsInLog(alice)).isEqualTo(acknowledged);
    assertThat(relay.exists(RedisKeys.idempotency(alice, "down-0"))).isFalse();
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> get("/health/ready").statusCode() == 200);
  }

  @Test
  void redisRefusingWritesMeans503AndNothingPartiallyStored() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String token = relay.token(alice);
    sendOk(token, text(bob, "before"));
    JsonObject message = text(bob, "refused").put("clientMsgId", "oom-1");

    config("maxmemory-policy", "noeviction");
    config("maxmemory", "1");
    try {
      assertError(relay.sendAs(token, message), 503, "unavailable");
      assertError(get("/health/ready"), 503, "unavailable");
      assertThat(get("/health/live").statusCode()).isEqualTo(200);

      assertThat(relay.xlen(bob)).isEqualTo(1);
      assertThat(relay.xlen(alice)).isEqualTo(1);
      assertThat(relay.exists(RedisKeys.idempotency(alice, "oom-1"))).isFalse();
    } finally {
      config("maxmemory", "0");
    }

    HttpResponse<Buffer> retried = relay.sendAs(token, message);
    assertThat(retried.statusCode()).as("the refused send left no idempotency key: %s", retried.bodyAsString())
        .isEqualTo(201);
    assertThat(relay.xlen(bob)).isEqualTo(2);
    assertThat(relay.xlen(alice)).isEqualTo(2);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void hungRedisMeans503WithinTheTimeoutAndTheRefusedMessageIsNeverStoredLater() throws Exception {
    try (RedisProcess hung = RedisProcess.start();
        IngestHarness node = IngestHarness.start(hung, Map.of("RELAY_REDIS_TIMEOUT_MS", Long.toString(REDIS_TIMEOUT_MS)))) {
      String alice = newUser("alice");
      String bob = newUser("bob");
      String token = node.token(alice);
      assertThat(node.sendAs(token, text(bob, "before")).statusCode()).isEqualTo(201);

      refusedWhileHung(hung, node, () -> node.sendAs(token, text(bob, "while hung")));

      Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertThat(node.xlen(bob)).as("a message answered 503 must not be stored").isEqualTo(1));
    }
  }

  @Test
  void hungRedisMeansAChannelPublishAnswered503IsNeverStoredLater() throws Exception {
    try (RedisProcess hung = RedisProcess.start();
        IngestHarness node = IngestHarness.start(hung, Map.of("RELAY_REDIS_TIMEOUT_MS", Long.toString(REDIS_TIMEOUT_MS)))) {
      String channel = newUser("show");
      JsonObject message = new JsonObject().put("body", "seat sold");
      assertThat(node.publishAsBackend(channel, message).statusCode()).isEqualTo(201);

      refusedWhileHung(hung, node, () -> node.publishAsBackend(channel, message));

      Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertThat(node.redis(Request.cmd(Command.XLEN).arg(RedisKeys.channelHistory(channel)))
              .toLong()).as("a publish answered 503 must not be stored").isEqualTo(1));
    }
  }

  /** Runs {@code call} while {@code hung} is stopped (SIGSTOP) and asserts it was answered 503 in bounded time. */
  private static void refusedWhileHung(RedisProcess hung, IngestHarness node, Supplier<HttpResponse<Buffer>> call)
      throws Exception {
    signal(hung, "STOP");
    HttpResponse<Buffer> refused;
    long elapsedMs;
    try {
      long started = System.nanoTime();
      refused = call.get();
      elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertError(await(node.request(HttpMethod.GET, "/health/ready").send()), 503, "unavailable");
    } finally {
      signal(hung, "CONT");
    }
    assertError(refused, 503, "unavailable");
    assertThat(elapsedMs).as("time to answer while Redis hangs").isLessThan(3 * REDIS_TIMEOUT_MS);
  }

  private static String sendOk(String token, JsonObject message) {
    HttpResponse<Buffer> response = relay.sendAs(token, message);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getString("id");
  }

  /** Sends SIGSTOP / SIGCONT to a Redis process this test started. */
  private static void signal(RedisProcess redis, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(redis.pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
  }

  private static HttpResponse<Buffer> get(String path) {
    return await(relay.request(HttpMethod.GET, path).send());
  }

  private static void config(String name, String value) {
    relay.redis(Request.cmd(Command.CONFIG).arg("SET").arg(name).arg(value));
  }

  private static List<String> idsInLog(String uid) {
    Response entries = relay.redis(Request.cmd(Command.XRANGE).arg(RedisKeys.log(uid)).arg("-").arg("+"));
    List<String> ids = new ArrayList<>();
    entries.forEach(entry -> ids.add(new JsonObject(entry.get(1).get(1).toString()).getString("id")));
    return ids;
  }
}
