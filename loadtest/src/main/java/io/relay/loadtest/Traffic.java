package io.relay.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Posts messages between random users at a steady rate through every ingest node in turn. A
 * request that gets no 2xx (503, refused, reset, timeout) is retried with the same
 * {@code clientMsgId} on the next node until it does, as a careful client would; only 2xx answers
 * go into the ledger.
 */
final class Traffic {

  static final int MAX_IN_FLIGHT = 2_000;

  private final Vertx vertx;
  private final WebClient http;
  private final Supplier<List<Integer>> ingestPorts;
  private final Map<String, String> tokens;
  private final List<String> users;
  private final Ledger ledger;
  private final Random random;
  final AtomicLong attempts = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong unavailable = new AtomicLong();
  final AtomicLong failedConnections = new AtomicLong();
  final AtomicLong throttled = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();
  private long timer = -1;

  Traffic(Vertx vertx, WebClient http, Supplier<List<Integer>> ingestPorts, Map<String, String> tokens,
      Ledger ledger, Random random) {
    this.vertx = vertx;
    this.http = http;
    this.ingestPorts = ingestPorts;
    this.tokens = tokens;
    this.users = List.copyOf(tokens.keySet());
    this.ledger = ledger;
    this.random = random;
  }

  /** Sends {@code rate} messages per second until {@link #stop()}. */
  void start(int rate) {
    long period = Math.max(10, 1000 / rate);
    double perTick = rate * period / 1000.0;
    double[] carry = {0};
    timer = vertx.setPeriodic(period, id -> {
      carry[0] += perTick;
      for (; carry[0] >= 1; carry[0]--) {
        send(randomUser(), randomUser(), 64);
      }
    });
  }

  /** Sends {@code count} messages with {@code padBytes} of padding to one user at once. */
  void burst(String to, int count, int padBytes) {
    for (int i = 0; i < count; i++) {
      send(randomUser(), to, padBytes);
    }
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  int inFlight() {
    return inFlight.get();
  }

  private String randomUser() {
    return users.get(random.nextInt(users.size()));
  }

  private void send(String from, String to, int padBytes) {
    if (inFlight.get() >= MAX_IN_FLIGHT) {
      throttled.incrementAndGet();
      return;
    }
    long n = sequence.incrementAndGet();
    JsonObject message = new JsonObject().put("to", to).put("clientMsgId", "chaos-" + n)
        .put("body", new JsonObject().put("n", n).put("pad", "x".repeat(padBytes)));
    inFlight.incrementAndGet();
    attempt(from, to, message, (int) (n % ingestPorts.get().size()));
  }

  private void attempt(String from, String to, JsonObject message, int node) {
    attempts.incrementAndGet();
    List<Integer> ports = ingestPorts.get();
    http.post(ports.get(node % ports.size()), "127.0.0.1", "/v1/messages")
        .putHeader("Authorization", "Bearer " + tokens.get(from))
        .timeout(5_000)
        .sendJsonObject(message)
        .onComplete(ar -> {
          if (ar.succeeded() && isStored(ar.result())) {
            inFlight.decrementAndGet();
            ledger.acked(new Ledger.Acked(ar.result().bodyAsJsonObject().getString("id"), from, to, System.nanoTime()));
            return;
          }
          if (ar.succeeded() && ar.result().statusCode() == 503) {
            unavailable.incrementAndGet();
          } else if (ar.failed()) {
            failedConnections.incrementAndGet();
          } else {
            throw new IllegalStateException("unexpected answer " + ar.result().statusCode() + " "
                + ar.result().bodyAsString());
          }
          retries.incrementAndGet();
          vertx.setTimer(100 + random.nextInt(400), id -> attempt(from, to, message, node + 1));
        });
  }

  private static boolean isStored(HttpResponse<Buffer> response) {
    return response.statusCode() == 201 || response.statusCode() == 200;
  }
}
