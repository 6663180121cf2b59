package io.relay.loadtest;

import io.relay.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POST → WebSocket throughput and latency on this machine: one sender posts to N receivers
 * (each message is stored in the receiver's and the sender's log, as a chat message is), keeping
 * a fixed number of requests in flight; every receiver measures send-to-arrival time.
 */
public final class Bench {

  private Bench() {
  }

  public static int run(BenchOptions options, PrintStream out) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Cluster cluster = new Cluster(1, 1, Map.of("RELAY_LOG_FORMAT", "text", "RELAY_LOG_LEVEL", "warn",
        // One sender user measures throughput: no per-user send limit.
        "RELAY_RATE_USER_PER_SEC", "0"))) {
      WebClient http = WebClient.create(vertx, new WebClientOptions(),
          new PoolOptions().setHttp1MaxSize(options.concurrency()));
      String sender = token(http, cluster, "bench-sender");
      LatencySamples endToEnd = new LatencySamples();
      LatencySamples postLatency = new LatencySamples();
      AtomicInteger received = new AtomicInteger();
      Promise<Void> allReceived = Promise.promise();
      List<String> receivers = connectReceivers(vertx, http, cluster, options, endToEnd, received, allReceived);

      long start = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      List<Future<Void>> lanes = new ArrayList<>();
      for (int lane = 0; lane < options.concurrency(); lane++) {
        lanes.add(postLoop(http, cluster.ingest.get(0).port(), sender, receivers, options, next, postLatency));
      }
      Future.all(lanes).await();
      long posted = System.nanoTime();
      allReceived.future().timeout(60, java.util.concurrent.TimeUnit.SECONDS).await();
      long done = System.nanoTime();
      print(out, options, start, posted, done, postLatency, endToEnd, cluster);
      Path plot = LatencyChart.write(options.plot(), "POST -> WebSocket latency, " + options.messages()
          + " messages to " + options.receivers() + " receivers", start, List.of(
              new LatencyChart.Curve("end-to-end", endToEnd, 50, 99, 100),
              new LatencyChart.Curve("POST", postLatency, 99)));
      out.printf("  latency over time: %s%n", plot);
      http.close();
      return 0;
    } finally {
      vertx.close().await();
    }
  }

  private static List<String> connectReceivers(Vertx vertx, WebClient http, Cluster cluster, BenchOptions options,
      LatencySamples endToEnd, AtomicInteger received, Promise<Void> allReceived) {
    WebSocketClient sockets = vertx.createWebSocketClient(
        new WebSocketClientOptions().setMaxConnections(options.receivers()));
    List<String> receivers = new ArrayList<>();
    List<Future<?>> connected = new ArrayList<>();
    for (int i = 0; i < options.receivers(); i++) {
      String uid = "bench-r" + i;
      receivers.add(uid);
      WebSocketConnectOptions ws = new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(cluster.push.get(0).port()).setURI("/v1/ws?token=" + token(http, cluster, uid))
          .setAllowOriginHeader(false);
      Promise<Void> hello = Promise.promise();
      connected.add(hello.future());
      sockets.connect(ws).onSuccess(socket -> socket.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        if ("hello".equals(frame.getString("type"))) {
          hello.tryComplete();
        } else if ("message".equals(frame.getString("type"))) {
          long now = System.nanoTime();
          endToEnd.add(now, now - frame.getJsonObject("body").getLong("sentAt"));
          if (received.incrementAndGet() == options.messages()) {
            allReceived.tryComplete();
          }
        }
      }));
    }
    Future.all(connected).timeout(30, java.util.concurrent.TimeUnit.SECONDS).await();
    return receivers;
  }

  /** One lane: posts the next message as soon as the previous one was answered. */
  private static Future<Void> postLoop(WebClient http, int port, String token, List<String> receivers,
      BenchOptions options, AtomicInteger next, LatencySamples postLatency) {
    int n = next.getAndIncrement();
    if (n >= options.messages()) {
      return Future.succeededFuture();
    }
    long sentAt = System.nanoTime();
    JsonObject message = new JsonObject().put("to", receivers.get(n % receivers.size()))
        .put("body", new JsonObject().put("sentAt", sentAt).put("pad", "x".repeat(options.bodyBytes())));
    return http.post(port, "127.0.0.1", "/v1/messages").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(message)
        .compose(response -> {
          if (response.statusCode() != 201) {
            return Future.failedFuture("POST answered " + response.statusCode() + " " + response.bodyAsString());
          }
          long now = System.nanoTime();
          postLatency.add(now, now - sentAt);
          return postLoop(http, port, token, receivers, options, next, postLatency);
        });
  }

  private static String token(WebClient http, Cluster cluster, String uid) {
    return http.post(cluster.ingest.get(0).port(), "127.0.0.1", "/v1/tokens").putHeader("X-Api-Key", Cluster.API_KEY)
        .sendJsonObject(new JsonObject().put("uid", uid).put("ttlSec", 3600)).await()
        .bodyAsJsonObject().getString("token");
  }

  private static void print(PrintStream out, BenchOptions options, long start, long posted, long done,
      LatencySamples postLatency, LatencySamples endToEnd, Cluster cluster) throws IOException {
    List<Long> post = postLatency.sortedMillis();
    List<Long> e2e = endToEnd.sortedMillis();
    double seconds = (done - start) / 1e9;
    out.printf("bench: %d messages to %d receivers, %d in flight, %d-byte padding%n", options.messages(),
        options.receivers(), options.concurrency(), options.bodyBytes());
    out.printf("  throughput POST->WebSocket   %.0f msg/s (%.1f s; all POSTs answered after %.1f s)%n",
        options.messages() / seconds, seconds, (posted - start) / 1e9);
    out.printf("  POST latency ms  p50 %d  p95 %d  p99 %d  max %d%n", at(post, 50), at(post, 95), at(post, 99),
        at(post, 100));
    out.printf("  end-to-end ms    p50 %d  p95 %d  p99 %d  max %d%n", at(e2e, 50), at(e2e, 95), at(e2e, 99),
        at(e2e, 100));
    LatencyHistogram.print(out, "end-to-end latency histogram", e2e);
    out.printf("  memory: ingest RSS %s (peak %s), push RSS %s (peak %s)%n",
        status(cluster.ingest.get(0), "VmRSS"), status(cluster.ingest.get(0), "VmHWM"),
        status(cluster.push.get(0), "VmRSS"), status(cluster.push.get(0), "VmHWM"));
  }

  private static long at(List<Long> sorted, int percent) {
    return LatencySamples.percentile(sorted, percent);
  }

  /** A line of /proc/PID/status, e.g. VmRSS (resident) or VmHWM (peak resident). */
  private static String status(ServiceProcess process, String field) throws IOException {
    Path path = Path.of("/proc", Long.toString(process.pid()), "status");
    return Files.readAllLines(path).stream().filter(line -> line.startsWith(field + ":"))
        .map(line -> line.substring(field.length() + 1).trim()).findFirst().orElse("?");
  }

}
