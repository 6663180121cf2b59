package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.ServiceProcess;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz run against live ingest and push processes (their jars): random and mutated HTTP
 * requests, malformed raw HTTP, and random, malformed and oversized WebSocket frames, sent by an
 * attacker who knows a victim's user and room ids. Asserted: no answer is a 5xx other than 503,
 * both processes stay up, no answer or frame carries the victim's data, and afterwards every
 * connection, held poll, timer and subscription is released (the push node's gauges are back to
 * zero). The seed is printed; {@code -Drelay.fuzz.seed=N} repeats a run, {@code
 * -Drelay.fuzz.seconds=N} sets its length (default 20).
 */
class FuzzIT {

  static final long SEED = Long.getLong("relay.fuzz.seed", System.nanoTime());
  static final long SECONDS = Long.getLong("relay.fuzz.seconds", 20);

  static ProcessCluster cluster;
  static ServiceProcess ingest;
  static ServiceProcess push;
  static String marker;
  static String victim;
  static String victimRoom;
  static String attacker;
  static String attackerToken;

  final List<String> failures = new ArrayList<>();
  int httpCases;
  int rawCases;
  int sockets;
  int frames;

  @BeforeAll
  static void start() {
    cluster = new ProcessCluster(1, 1, 25);
    ingest = cluster.ingest.get(0);
    push = cluster.push.get(0);
    marker = "victim-secret-" + UUID.randomUUID();
    victim = RelayStack.newUser("victim");
    victimRoom = RelayStack.newUser("victim-room");
    attacker = RelayStack.newUser("attacker");
    attackerToken = cluster.token(attacker);
    String victimToken = cluster.token(victim);
    assertThat(cluster.sendAsBackend(ingest, new JsonObject().put("to", victim).put("body", marker)).statusCode())
        .isEqualTo(201);
    HttpResponse<Buffer> room = cluster.http.post(ingest.port(), "127.0.0.1", "/v1/rooms")
        .putHeader("Authorization", "Bearer " + victimToken)
        .sendJsonObject(new JsonObject().put("id", victimRoom)).await();
    assertThat(room.statusCode()).isEqualTo(201);
    assertThat(cluster.send(ingest, victimToken, new JsonObject().put("room", victimRoom).put("body", marker))
        .statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void randomAndMalformedInputNeverBreaksIngestOrPushNorLeaksAnotherUsersData() {
    System.out.println("FuzzIT seed " + SEED + " (-Drelay.fuzz.seed=" + SEED + " repeats this run)");
    FuzzInputs fuzz = new FuzzInputs(new Random(SEED),
        List.of(attacker, victim, victimRoom, "bob", attacker + "-room", "r1"));
    long phase = SECONDS * 1000 / 4;

    runFor(phase, () -> ingestRequest(fuzz));
    runFor(phase / 2, () -> pushRequest(fuzz));
    runFor(phase / 2, () -> rawRequest(fuzz));
    runFor(phase, () -> webSocket(fuzz));

    System.out.printf("FuzzIT: %d HTTP requests, %d raw HTTP requests, %d WebSocket connections, %d frames%n",
        httpCases, rawCases, sockets, frames);
    assertThat(failures).as("5xx answers or leaked data (seed %d)", SEED).isEmpty();
    assertThat(ingest.isAlive()).as("ingest-service alive").isTrue();
    assertThat(push.isAlive()).as("push-service alive").isTrue();
    everythingIsReleased();
    stillServesOrdinaryTraffic();
  }

  private void runFor(long millis, Runnable oneCase) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      oneCase.run();
    }
  }

  // --- ingest over HTTP ------------------------------------------------------------------------

  private void ingestRequest(FuzzInputs fuzz) {
    HttpMethod method = fuzz.pick(List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.POST, HttpMethod.PUT,
        HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.HEAD));
    String path = fuzz.ingestPath();
    byte[] body = method == HttpMethod.GET || method == HttpMethod.HEAD ? null : fuzz.body();
    HttpRequest<Buffer> request;
    try {
      request = cluster.http.request(method, ingest.port(), "127.0.0.1", path).timeout(10_000);
    } catch (RuntimeException e) {
      return; // a path the client itself refuses to send
    }
    credentials(fuzz, request);
    if (fuzz.random().nextInt(4) > 0) {
      request.putHeader("Content-Type", fuzz.pick(List.of("application/json", "text/plain",
          "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1")));
    }
    httpCases++;
    try {
      HttpResponse<Buffer> response = body == null ? request.send().await() : request.sendBuffer(Buffer.buffer(body)).await();
      check("ingest " + method + " " + path + " body " + describe(body), response.statusCode(),
          response.bodyAsString());
    } catch (Exception e) {
      // Closed before an answer (a refused oversized or unauthenticated body): not a 5xx.
    }
  }

  private void credentials(FuzzInputs fuzz, HttpRequest<Buffer> request) {
    switch (fuzz.random().nextInt(10)) {
      case 0 -> { }
      case 1 -> request.putHeader("Authorization", "Bearer " + fuzz.randomText(40, "abc.-_"));
      case 2 -> request.putHeader("X-Api-Key", fuzz.randomText(12, "abcdef"));
      // A tampered token, kept to the characters a header may carry.
      case 3 -> request.putHeader("Authorization", "Bearer " + new String(fuzz.mutate(
          attackerToken.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1).replaceAll("[^!-~]", "A"));
      default -> request.putHeader("Authorization", "Bearer " + attackerToken);
    }
  }

  // --- push over HTTP (long-poll, SSE, ack, a WebSocket path without upgrade) ------------------

  private void pushRequest(FuzzInputs fuzz) {
    String path = fuzz.pushPath(fuzz.random().nextInt(5) == 0 ? "bad.token.x" : attackerToken);
    HttpMethod method = fuzz.pick(List.of(HttpMethod.GET, HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS));
    HttpRequest<Buffer> request;
    try {
      request = cluster.http.request(method, push.port(), "127.0.0.1", path).timeout(1500);
    } catch (RuntimeException e) {
      return;
    }
    if (fuzz.random().nextBoolean()) {
      request.putHeader("Origin", fuzz.pick(List.of("https://evil.example", "null", "http://127.0.0.1")));
    }
    httpCases++;
    byte[] body = method == HttpMethod.POST ? fuzz.body() : null;
    try {
      HttpResponse<Buffer> response = body == null ? request.send().await() : request.sendBuffer(Buffer.buffer(body)).await();
      check("push " + method + " " + path + " body " + describe(body), response.statusCode(), response.bodyAsString());
    } catch (Exception e) {
      // A held poll or an SSE stream the client gave up on: the node must release it (checked at the end).
    }
  }

  // --- malformed HTTP written byte by byte -----------------------------------------------------

  private void rawRequest(FuzzInputs fuzz) {
    ServiceProcess node = fuzz.random().nextBoolean() ? ingest : push;
    String auth = "Authorization: Bearer " + attackerToken + "\r\n";
    byte[] body = fuzz.body();
    String request = switch (fuzz.random().nextInt(9)) {
      case 0 -> fuzz.randomText(fuzz.random().nextInt(200), "GETPOS /\r\n :HTP1.");
      case 1 -> "GET /" + "a".repeat(20_000 + fuzz.random().nextInt(50_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
      case 2 -> "POST /v1/messages HTTP/1.1\r\nHost: x\r\n" + auth + "X-Big: " + "h".repeat(70_000) + "\r\n\r\n";
      case 3 -> "POST /v1/messages HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: " + (body.length + 5000)
          + "\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1);
      case 4 -> "POST /v1/messages HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: "
          + fuzz.pick(List.of("-1", "abc", "99999999999999999999", "1, 2")) + "\r\n\r\n{}";
      case 5 -> "POST /v1/messages HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n"
          + fuzz.pick(List.of("zz\r\n{}\r\n0\r\n\r\n", "FFFFFFFFFFFF\r\n{", "2\r\n{}\r\n", "5\r\n{}\r\n0\r\n\r\n"));
      case 6 -> "GET /v1/ws?token=" + attackerToken + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Version: " + fuzz.pick(List.of("13", "8", "x")) + "\r\nSec-WebSocket-Key: "
          + fuzz.pick(List.of("", "short", "dGhlIHNhbXBsZSBub25jZQ==")) + "\r\n\r\n";
      case 7 -> "POST /v1/messages HTTP/1.0\r\n" + auth + "Content-Length: " + body.length + "\r\n\r\n"
          + new String(body, StandardCharsets.ISO_8859_1);
      default -> "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + fuzz.randomText(50, "\u0000\u0001abc");
    };
    rawCases++;
    RawHttp.Answer answer = RawHttp.exchange(node.port(), request.getBytes(StandardCharsets.ISO_8859_1), 1500);
    check("raw to " + (node == ingest ? "ingest" : "push") + ": " + abbreviate(request), answer.status(), answer.text());
  }

  // --- WebSocket frames ------------------------------------------------------------------------

  private void webSocket(FuzzInputs fuzz) {
    Random random = fuzz.random();
    String token = random.nextInt(6) == 0 ? fuzz.randomText(30, "abc.") : attackerToken;
    String uri = "/v1/ws?token=" + token + (random.nextBoolean() ? "&since=" + fuzz.queryValue() : "")
        + (random.nextBoolean() ? "&device=" + fuzz.name() : "");
    sockets++;
    try (RawHttp.RawWebSocket socket = new RawHttp.RawWebSocket(push.port(), uri, random)) {
      if (socket.status != 101) {
        check("ws handshake " + uri, socket.status, "");
        return;
      }
      for (int i = 1 + random.nextInt(25); i > 0; i--) {
        frames++;
        sendFrame(fuzz, socket);
      }
      String received = socket.drain(50);
      if (received.contains(marker)) {
        failures.add("ws " + uri + " received the victim's data");
      }
      if (random.nextInt(4) == 0) {
        socket.frame(true, 8, new byte[] {3, (byte) 0xe8}, true);
      }
    } catch (IOException e) {
      // The node closed the connection (1009, 1002, 4008 ...): allowed.
    }
  }

  private void sendFrame(FuzzInputs fuzz, RawHttp.RawWebSocket socket) throws IOException {
    Random random = fuzz.random();
    switch (random.nextInt(10)) {
      case 0 -> socket.frame(true, 1, fuzz.badUtf8(fuzz.frameText().getBytes(StandardCharsets.UTF_8)), true);
      case 1 -> socket.frame(true, 2, fuzz.randomBytes(random.nextInt(200)), true);
      case 2 -> socket.frame(true, fuzz.pick(List.of(0, 3, 4, 7, 11, 15)), fuzz.randomBytes(random.nextInt(50)), true);
      case 3 -> socket.frame(false, 1, fuzz.frameText().getBytes(StandardCharsets.UTF_8), true);
      case 4 -> socket.frame(true, 1, ("{\"type\":\"ping\",\"pad\":\"" + "p".repeat(66_000 + random.nextInt(100_000))
          + "\"}").getBytes(StandardCharsets.UTF_8), true);
      case 5 -> socket.frame(true, 9, fuzz.randomBytes(random.nextInt(125)), true);
      case 6 -> socket.frame(true, 1, fuzz.frameText().getBytes(StandardCharsets.UTF_8), false);
      default -> socket.text(fuzz.frameText());
    }
  }

  // --- checks ----------------------------------------------------------------------------------

  private void check(String what, int status, String body) {
    if (status >= 500 && status != 503) {
      failures.add(status + " for " + what + ": " + abbreviate(body));
    }
    if (body != null && body.contains(marker)) {
      failures.add("the victim's data in the answer to " + what);
    }
  }

  private void everythingIsReleased() {
    try (RedisProbe redis = new RedisProbe(cluster.vertx, cluster.redis.url())) {
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
        assertThat(cluster.metric(push, "relay_connections")).as("open connections").isZero();
        assertThat(cluster.metric(push, "relay_polls_held")).as("held polls").isZero();
        assertThat(cluster.metric(push, "relay_poll_timers")).as("poll timers").isZero();
        assertThat(cluster.metric(push, "relay_subscriptions")).as("live subscriptions").isZero();
        assertThat(redis.setSize(RedisKeys.bindings(attacker))).as("the attacker's bindings").isZero();
      });
    }
  }

  private void stillServesOrdinaryTraffic() {
    String reader = RelayStack.newUser("reader");
    try (WsClient client = cluster.connect(push, cluster.token(reader), "")) {
      client.hello();
      assertThat(cluster.sendAsBackend(ingest, new JsonObject().put("to", reader).put("body", "after the storm"))
          .statusCode()).isEqualTo(201);
      assertThat(client.awaitMessages(1).get(0).getString("body")).isEqualTo("after the storm");
    }
    HttpResponse<Buffer> own = cluster.http.get(ingest.port(), "127.0.0.1", "/v1/messages")
        .putHeader("Authorization", "Bearer " + cluster.token(victim)).send().await();
    assertThat(own.bodyAsString()).as("the victim still reads its own message").contains(marker);
  }

  private static String describe(byte[] body) {
    return body == null ? "none" : body.length + " bytes: " + abbreviate(new String(body, StandardCharsets.UTF_8));
  }

  private static String abbreviate(String text) {
    return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
