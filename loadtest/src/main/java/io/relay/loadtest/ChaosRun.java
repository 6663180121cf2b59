package io.relay.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The chaos run: Redis + 2 ingest + 2 push processes, K reconnecting clients, steady traffic with
 * retries, random faults for the run's duration; then it waits for the last deliveries and checks
 * that every 2xx message reached every device of its audience, in log order.
 */
public final class ChaosRun {

  static final int HEARTBEAT_SEC = 2;

  private ChaosRun() {
  }

  public static ChaosReport run(ChaosOptions options, PrintStream out) throws Exception {
    out.printf("chaos: %d clients, %d msg/s, %d s, a fault every ~%d s, seed %d%n", options.clients(),
        options.rate(), options.durationSec(), options.faultEverySec(), options.seed());
    Random random = new Random(options.seed());
    Map<String, String> env = Map.of("RELAY_HEARTBEAT_SEC", Integer.toString(HEARTBEAT_SEC),
        "RELAY_SEND_QUEUE_MAX", "100", "RELAY_REDIS_TIMEOUT_MS", "1500", "RELAY_LOG_FORMAT", "text");
    Vertx vertx = Vertx.vertx();
    try (Cluster cluster = new Cluster(2, 2, env)) {
      WebClient http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000),
          new PoolOptions().setHttp1MaxSize(64));
      WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(2_000)
          .setMaxConnections(options.clients() + 1));
      Map<String, String> tokens = mintTokens(http, cluster, options.clients());
      String ghostToken = mint(http, cluster, "chaos-ghost");
      Ledger ledger = new Ledger();
      Map<Integer, AtomicLong> closeCodes = ChaosClient.newCloseCounts();
      List<ChaosClient> clients = new ArrayList<>();
      tokens.forEach((uid, token) -> clients.add(new ChaosClient(vertx, sockets, uid, token, cluster::pushPorts,
          ledger.device(uid), new Random(random.nextLong()), closeCodes)));
      clients.forEach(ChaosClient::connect);
      awaitCondition(Duration.ofSeconds(30), () -> clients.stream().allMatch(ChaosClient::isConnected));

      Traffic traffic = new Traffic(vertx, http, cluster::ingestPorts, tokens, ledger, new Random(random.nextLong()));
      Faults faults = new Faults(cluster, vertx, new Random(random.nextLong()), clients, traffic, ghostToken,
          HEARTBEAT_SEC);
      long startNanos = System.nanoTime();
      AtomicReference<String> lastFault = new AtomicReference<>("-");
      long progressTimer = vertx.setPeriodic(1_000, id -> progress(out, startNanos, ledger, traffic, clients,
          faults, lastFault.get()));
      traffic.start(options.rate());
      injectFaults(options, faults, random, startNanos, lastFault);
      traffic.stop();
      cluster.heal();
      awaitCondition(Duration.ofSeconds(options.settleSec()), () -> traffic.inFlight() == 0 && ledger.missing() == 0);
      vertx.cancelTimer(progressTimer);
      clients.forEach(ChaosClient::stop);
      ChaosReport report = report(options, ledger, traffic, faults, closeCodes);
      report.print(out);
      http.close();
      return report;
    } finally {
      vertx.close().await();
    }
  }

  private static Map<String, String> mintTokens(WebClient http, Cluster cluster, int count) {
    Map<String, String> tokens = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      tokens.put("chaos-u" + i, mint(http, cluster, "chaos-u" + i));
    }
    return tokens;
  }

  private static String mint(WebClient http, Cluster cluster, String uid) {
    return http.post(cluster.ingest.get(0).port(), "127.0.0.1", "/v1/tokens")
        .putHeader("X-Api-Key", Cluster.API_KEY)
        .sendJsonObject(new JsonObject().put("uid", uid).put("ttlSec", 24 * 3600)).await()
        .bodyAsJsonObject().getString("token");
  }

  private static void injectFaults(ChaosOptions options, Faults faults, Random random, long startNanos,
      AtomicReference<String> lastFault) throws Exception {
    long endNanos = startNanos + Duration.ofSeconds(options.durationSec()).toNanos();
    while (System.nanoTime() < endNanos) {
      long pause = (long) (options.faultEverySec() * 1000 * (0.5 + random.nextDouble()));
      Thread.sleep(Math.max(0, Math.min(pause, (endNanos - System.nanoTime()) / 1_000_000)));
      if (System.nanoTime() < endNanos) {
        faults.injectOne(lastFault::set);
      }
    }
  }

  private static void progress(PrintStream out, long startNanos, Ledger ledger, Traffic traffic,
      List<ChaosClient> clients, Faults faults, String lastFault) {
    long owed = ledger.expectedDeliveries();
    out.printf("[%4ds] acked %6d  retrying %4d  delivered %7d/%-7d  clients %d/%d  faults %2d (last: %s)%n",
        (System.nanoTime() - startNanos) / 1_000_000_000, ledger.ackedCount(), traffic.inFlight(),
        owed - ledger.missing(), owed, clients.stream().filter(ChaosClient::isConnected).count(), clients.size(),
        faults.injected().size(), lastFault);
  }

  private static ChaosReport report(ChaosOptions options, Ledger ledger, Traffic traffic, Faults faults,
      Map<Integer, AtomicLong> closeCodes) {
    List<Long> delays = new ArrayList<>();
    long maxAfterFault = 0;
    List<Faults.Injected> injected = faults.injected();
    for (Ledger.Acked message : ledger.allAcked()) {
      for (String uid : message.audience()) {
        Long seen = ledger.device(uid).firstSeen(message.id());
        if (seen == null) {
          continue;
        }
        long delayMs = Math.max(0, (seen - message.ackedAtNanos()) / 1_000_000);
        delays.add(delayMs);
        boolean nearFault = injected.stream().anyMatch(f -> message.ackedAtNanos() >= f.startNanos()
            && message.ackedAtNanos() - f.startNanos() < 10_000_000_000L);
        maxAfterFault = nearFault ? Math.max(maxAfterFault, delayMs) : maxAfterFault;
      }
    }
    delays.sort(null);
    Map<String, Long> byKind = injected.stream()
        .collect(Collectors.groupingBy(f -> f.kind().name(), TreeMap::new, Collectors.counting()));
    Map<Integer, Long> codes = new TreeMap<>();
    closeCodes.forEach((code, count) -> codes.put(code, count.get()));
    return new ChaosReport(options.seed(), options.clients(), ledger.ackedCount(), traffic.attempts.get(),
        traffic.retries.get(), traffic.unavailable.get(), traffic.failedConnections.get(),
        ledger.expectedDeliveries(), ledger.missing(),
        ledger.devices().stream().mapToLong(DeviceView::duplicates).sum(),
        ledger.devices().stream().mapToLong(DeviceView::orderViolations).sum(),
        byKind, codes, LatencySamples.percentile(delays, 50), LatencySamples.percentile(delays, 99),
        delays.isEmpty() ? 0 : delays.get(delays.size() - 1), maxAfterFault);
  }

  /** Polls {@code condition} every 100 ms until it holds or {@code limit} passes. */
  static boolean awaitCondition(Duration limit, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }
}
