package io.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard's structure (no Grafana here to load it) and the alert rules' shape; that
 * every metric they query is really exported is {@link MetricsExportedIT}'s job, and
 * {@link PromtoolTest} has Prometheus's own checker read the rules and scrape config.
 */
class ObservabilityFilesTest {

  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "gauge", "bargauge", "table",
      "heatmap", "text");

  @Test
  void dashboardIsAGrafanaDashboardWithADatasourceVariable() {
    JsonObject dashboard = ObservabilityFiles.dashboard();
    assertThat(dashboard.getString("uid")).matches("[a-zA-Z0-9_-]{1,40}");
    assertThat(dashboard.getString("title")).isNotBlank();
    assertThat(dashboard.getInteger("schemaVersion")).isGreaterThanOrEqualTo(30);
    JsonArray variables = dashboard.getJsonObject("templating").getJsonArray("list");
    assertThat(variables.stream().map(v -> ((JsonObject) v))
        .filter(v -> "datasource".equals(v.getString("type")) && "prometheus".equals(v.getString("query")))
        .map(v -> v.getString("name")))
        .containsExactly("datasource");
  }

  @Test
  void everyPanelHasAUniqueIdAPlaceOnTheGridAndQueriesOnTheVariableDatasource() {
    Set<Integer> ids = new HashSet<>();
    for (JsonObject panel : ObservabilityFiles.panels()) {
      String title = panel.getString("title");
      assertThat(ids.add(panel.getInteger("id"))).as("unique id of %s", title).isTrue();
      assertThat(panel.getString("type")).as(title).isIn(PANEL_TYPES);
      JsonObject grid = panel.getJsonObject("gridPos");
      assertThat(grid.getInteger("x") + grid.getInteger("w")).as(title).isBetween(1, 24);
      assertThat(grid.getInteger("h")).as(title).isPositive();
      assertThat(grid.getInteger("y")).as(title).isNotNegative();
      assertThat(panel.getJsonObject("datasource").getString("uid")).as(title).isEqualTo("${datasource}");
      JsonArray targets = panel.getJsonArray("targets");
      assertThat(targets).as(title).isNotEmpty();
      Set<String> refIds = new HashSet<>();
      for (int i = 0; i < targets.size(); i++) {
        JsonObject target = targets.getJsonObject(i);
        assertThat(refIds.add(target.getString("refId"))).as("unique refId in %s", title).isTrue();
        assertThat(PromQl.metricNames(target.getString("expr"))).as("metrics of %s", title).isNotEmpty();
      }
    }
  }

  @Test
  void dashboardShowsWhatAnOperatorNeeds() {
    Set<String> shown = new HashSet<>();
    ObservabilityFiles.dashboardQueries().forEach(q -> shown.addAll(PromQl.metricNames(q)));
    assertThat(shown).contains("relay_connections", "relay_messages_stored_total", "relay_messages_delivered_total",
        "relay_delivery_latency_seconds_bucket", "relay_redis_errors_total", "relay_redis_latency_seconds_bucket",
        "relay_queue_drops_total", "relay_rate_limited_total", "relay_pubsub_reconnects_total",
        "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "http_server_requests_seconds_count");
  }

  @Test
  void ratesAreTakenOfCountersOnly() {
    List<String> queries = new java.util.ArrayList<>(ObservabilityFiles.dashboardQueries());
    queries.addAll(ObservabilityFiles.alertQueries());
    for (String query : queries) {
      assertThat(PromQl.ratedMetrics(query)).as(query).allMatch(name -> name.matches(".*_(total|bucket|sum|count)"));
    }
  }

  @Test
  void everyAlertHasASeverityASummaryAndTheFourTheOperatorsAskedFor() {
    List<Map<String, Object>> rules = ObservabilityFiles.alertRules();
    for (Map<String, Object> rule : rules) {
      assertThat(rule.get("alert")).as("rule %s", rule).isNotNull();
      assertThat((String) rule.get("expr")).isNotBlank();
      assertThat(DeployFiles.at(rule, "labels", "severity")).as("%s", rule.get("alert")).isIn("warning", "critical");
      assertThat(DeployFiles.at(rule, "annotations", "summary")).as("%s", rule.get("alert")).isNotNull();
    }
    assertThat(rules.stream().map(r -> r.get("alert")))
        .contains("RelayRedisDown", "RelayDeliveryLatencyHigh", "RelayPersistenceOff", "RelayRedisMemoryNearMax");
  }
}
