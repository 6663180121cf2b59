package io.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.testing.ServiceProcess;
import io.relay.testing.TestRedis;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric the dashboard, the alert rules and the push autoscaler query is exported by the
 * running services (jars started as in production, after real traffic), and the export follows
 * Prometheus's naming conventions.
 */
class MetricsExportedIT {

  /** Series Prometheus makes itself rather than scraping them. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private static TestRedis redis;
  private static ServiceProcess ingest;
  private static ServiceProcess push;
  private static Map<String, String> types;

  @BeforeAll
  static void runTrafficAndScrape() throws Exception {
    redis = TestRedis.start();
    Map<String, String> env = Map.of("REDIS_URL", redis.url(), "RELAY_DEV", "true", "RELAY_LOG_FORMAT", "text");
    ingest = ServiceProcess.start(ServiceProcess.Kind.INGEST, env);
    push = ServiceProcess.start(ServiceProcess.Kind.PUSH, env);
    RelayClient api = new RelayClient("http://127.0.0.1:" + ingest.port());
    RelayClient sockets = new RelayClient("http://127.0.0.1:" + push.port());
    String bob = "metrics-bob-" + System.nanoTime();
    RelayClient.Socket socket = sockets.connect(api.token("dev-key", bob), null);
    await().atMost(Duration.ofSeconds(10)).until(socket::helloReceived);
    assertThat(api.send(api.token("dev-key", "metrics-alice"), bob, "m-" + System.nanoTime())).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> socket.messages().size() == 1);
    types = new HashMap<>(Exposition.types(api.get("/metrics").body()));
    types.putAll(Exposition.types(sockets.get("/metrics").body()));
    socket.close();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable part : new AutoCloseable[] {push, ingest, redis}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        System.err.println("cleanup: " + e);
      }
    }
  }

  @Test
  void everyQueriedMetricIsExported() {
    Set<String> missing = new LinkedHashSet<>(ObservabilityFiles.queriedMetrics());
    missing.removeAll(types.keySet());
    missing.removeAll(PROMETHEUS_OWN);
    assertThat(missing).as("queried by the dashboard, alerts.yml or hpa.yaml but not exported").isEmpty();
  }

  @Test
  void exportFollowsPrometheusNamingConventions() {
    types.forEach((name, type) -> {
      if ("counter".equals(type)) {
        assertThat(name).as("counter").endsWith("_total");
      }
      assertThat(name).as("base units only").doesNotMatch(".*_(ms|ns|us|milliseconds|nanoseconds|microseconds|kb|mb)(_.*)?");
    });
    assertThat(types).containsEntry("relay_pubsub_reconnects_total", "counter")
        .containsEntry("relay_delivery_latency_seconds_bucket", "histogram")
        .containsEntry("relay_connections", "gauge");
  }

  @Test
  void queriedCountersAndHistogramsHaveTheRightTypes() {
    for (String name : ObservabilityFiles.queriedMetrics()) {
      String type = types.get(name);
      if (name.endsWith("_total") && type != null) {
        assertThat(type).as(name).isEqualTo("counter");
      }
      if (name.endsWith("_bucket")) {
        assertThat(type).as(name).isEqualTo("histogram");
      }
    }
  }
}
