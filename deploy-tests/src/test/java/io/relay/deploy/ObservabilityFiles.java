package io.relay.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The queries of deploy/observability/ and the custom metric of the push autoscaler. */
final class ObservabilityFiles {

  static final String DASHBOARD = "deploy/observability/relay-dashboard.json";
  static final String ALERTS = "deploy/observability/alerts.yml";
  static final String SCRAPE_CONFIG = "deploy/observability/prometheus.yml";
  static final String HPA = "deploy/k8s/base/hpa.yaml";

  private ObservabilityFiles() {
  }

  static JsonObject dashboard() {
    return DeployFiles.json(DASHBOARD);
  }

  static List<JsonObject> panels() {
    JsonArray panels = dashboard().getJsonArray("panels");
    List<JsonObject> list = new ArrayList<>();
    for (int i = 0; i < panels.size(); i++) {
      list.add(panels.getJsonObject(i));
    }
    return list;
  }

  static List<String> dashboardQueries() {
    List<String> queries = new ArrayList<>();
    for (JsonObject panel : panels()) {
      JsonArray targets = panel.getJsonArray("targets");
      for (int i = 0; i < targets.size(); i++) {
        queries.add(targets.getJsonObject(i).getString("expr"));
      }
    }
    return queries;
  }

  static List<Map<String, Object>> alertRules() {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : DeployFiles.list(DeployFiles.yaml(ALERTS).get("groups"))) {
      DeployFiles.list(DeployFiles.map(group).get("rules")).forEach(rule -> rules.add(DeployFiles.map(rule)));
    }
    return rules;
  }

  static List<String> alertQueries() {
    return alertRules().stream().map(rule -> (String) rule.get("expr")).toList();
  }

  /** Pods metrics the HorizontalPodAutoscalers scale on (served from Prometheus by an adapter). */
  static Set<String> autoscalerMetrics() {
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, Object> hpa : DeployFiles.yamlDocuments(DeployFiles.path(HPA))) {
      for (Object metric : DeployFiles.list(DeployFiles.at(hpa, "spec", "metrics"))) {
        Object name = DeployFiles.at(metric, "pods", "metric", "name");
        if (name != null) {
          names.add((String) name);
        }
      }
    }
    return names;
  }

  /** Every metric the dashboard, the alert rules and the autoscalers read. */
  static Set<String> queriedMetrics() {
    Set<String> names = new LinkedHashSet<>();
    dashboardQueries().forEach(q -> names.addAll(PromQl.metricNames(q)));
    alertQueries().forEach(q -> names.addAll(PromQl.metricNames(q)));
    names.addAll(autoscalerMetrics());
    return names;
  }
}
