package io.relay.deploy;

import static io.relay.deploy.DeployFiles.at;
import static io.relay.deploy.DeployFiles.list;
import static io.relay.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.ingest.IngestConfig;
import io.relay.push.PushConfig;
import io.relay.service.ServiceLauncher;
import io.relay.service.SharedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s and the compose file against the services' real settings: the variable names come from
 * the code ({@link Settings}), the default ports from parsing
 * an empty environment, the shutdown bound from {@link ServiceLauncher}. Reads the YAML itself, so
 * no cluster or kustomize binary is needed ({@link KustomizeBuildTest} renders the overlays too).
 */
class K8sManifestsTest {

  private static final String BASE = "deploy/k8s/base";
  private static final String SECRETS = "deploy/k8s/secret.example.yaml";

  /** One service as the code defines it. */
  private record Service(String deployment, Set<String> variables, String portVariable, int defaultPort) {
  }

  private static final Map<String, String> DEV = Map.of("RELAY_DEV", "true");
  private static final List<Service> SERVICES = List.of(
      new Service("relay-ingest", Settings.ingest(), "RELAY_INGEST_PORT", IngestConfig.fromEnv(DEV).port()),
      new Service("relay-push", Settings.push(), "RELAY_PUSH_PORT", PushConfig.fromEnv(DEV).port()));

  static List<Map<String, Object>> resources(String kustomizationDir) {
    Path dir = DeployFiles.path(kustomizationDir);
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object resource : list(DeployFiles.yaml(kustomizationDir + "/kustomization.yaml").get("resources"))) {
      Path path = dir.resolve((String) resource).normalize();
      if (Files.isDirectory(path)) {
        documents.addAll(resources(DeployFiles.root().relativize(path).toString()));
      } else {
        documents.addAll(DeployFiles.yamlDocuments(path));
      }
    }
    return documents;
  }

  private static Map<String, Object> find(List<Map<String, Object>> documents, String kind, String name) {
    return documents.stream()
        .filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static Map<String, Object> container(Map<String, Object> workload) {
    return map(list(at(workload, "spec", "template", "spec", "containers")).get(0));
  }

  private static Map<String, Object> secret(String name) {
    return DeployFiles.yamlDocuments(DeployFiles.path(SECRETS)).stream()
        .filter(d -> name.equals(at(d, "metadata", "name"))).findFirst().orElseThrow();
  }

  @Test
  void everyEnvironmentVariableIsOneTheServiceReads() {
    List<Map<String, Object>> base = resources(BASE);
    for (Service service : SERVICES) {
      Map<String, Object> container = container(find(base, "Deployment", service.deployment()));
      for (Object env : list(container.get("env"))) {
        assertThat((String) map(env).get("name")).as(service.deployment()).isIn(service.variables());
      }
      assertThat(list(container.get("envFrom")))
          .extracting(from -> at(from, "secretRef", "name")).containsExactly("relay-secrets");
    }
  }

  @Test
  void theSecretCarriesTheRequiredSettingsAndNothingElse() {
    Set<String> keys = map(secret("relay-secrets").get("stringData")).keySet();
    assertThat(keys).containsExactlyInAnyOrder("RELAY_JWT_SECRET", "RELAY_API_KEYS", "REDIS_URL");
    assertThat(SharedConfig.variables()).containsAll(keys);
  }

  @Test
  void portsAreTheServicesOwnAndTheServiceObjectsPointAtThem() {
    List<Map<String, Object>> base = resources(BASE);
    for (Service service : SERVICES) {
      Map<String, Object> container = container(find(base, "Deployment", service.deployment()));
      Map<String, Object> port = map(list(container.get("ports")).get(0));
      assertThat(port).containsEntry("name", "http").containsEntry("containerPort", service.defaultPort());
      Map<String, String> env = new HashMap<>();
      list(container.get("env")).forEach(e -> env.put((String) map(e).get("name"), (String) map(e).get("value")));
      assertThat(env).containsEntry(service.portVariable(), Integer.toString(service.defaultPort()));
      Map<String, Object> servicePort = map(list(at(find(base, "Service", service.deployment()), "spec", "ports")).get(0));
      assertThat(servicePort).containsEntry("targetPort", "http").containsEntry("port", service.defaultPort());
      Map<String, Object> selector = map(at(find(base, "Service", service.deployment()), "spec", "selector"));
      assertThat(selector).containsEntry("app.kubernetes.io/name", service.deployment());
      assertThat(map(at(find(base, "Deployment", service.deployment()), "spec", "template", "metadata", "labels")))
          .containsAllEntriesOf(selector);
    }
  }

  @Test
  void probesUseTheHealthRoutesOnTheNamedPort() {
    List<Map<String, Object>> base = resources(BASE);
    for (Service service : SERVICES) {
      Map<String, Object> container = container(find(base, "Deployment", service.deployment()));
      assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
      assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
      assertThat(at(container, "readinessProbe", "httpGet", "port")).isEqualTo("http");
      assertThat(at(container, "livenessProbe", "httpGet", "port")).isEqualTo("http");
    }
  }

  @Test
  void shutdownFitsInTheGracePeriodAfterThePreStopDrain() {
    List<Map<String, Object>> base = resources(BASE);
    for (Service service : SERVICES) {
      Map<String, Object> deployment = find(base, "Deployment", service.deployment());
      List<Object> preStop = list(at(container(deployment), "lifecycle", "preStop", "exec", "command"));
      assertThat(preStop).as("preStop of %s", service.deployment()).hasSize(2).first().isEqualTo("sleep");
      int drain = Integer.parseInt((String) preStop.get(1));
      int grace = (Integer) at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
      assertThat(grace).as(service.deployment()).isGreaterThan(drain + ServiceLauncher.SHUTDOWN_TIMEOUT_SEC);
    }
  }

  @Test
  void everyServiceHasAnAutoscalerAndADisruptionBudgetOnItsPods() {
    List<Map<String, Object>> base = resources(BASE);
    for (Service service : SERVICES) {
      Map<String, Object> hpa = find(base, "HorizontalPodAutoscaler", service.deployment());
      assertThat(at(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
      assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(service.deployment());
      Map<String, Object> podLabels = map(at(find(base, "Deployment", service.deployment()),
          "spec", "template", "metadata", "labels"));
      Map<String, Object> pdb = find(base, "PodDisruptionBudget", service.deployment());
      assertThat(podLabels).containsAllEntriesOf(map(at(pdb, "spec", "selector", "matchLabels")));
    }
    Function<String, Set<String>> metricTypes = name -> {
      Set<String> types = new LinkedHashSet<>();
      list(at(find(base, "HorizontalPodAutoscaler", name), "spec", "metrics"))
          .forEach(m -> types.add((String) map(m).get("type")));
      return types;
    };
    assertThat(metricTypes.apply("relay-ingest")).containsExactly("Resource");
    assertThat(metricTypes.apply("relay-push")).contains("Pods");
    assertThat(ObservabilityFiles.autoscalerMetrics()).containsExactly("relay_connections");
  }

  @Test
  void singleRedisHasAPasswordMemoryHeadroomAndOnlyRelayPodsMayReachIt() {
    List<Map<String, Object>> overlay = resources("deploy/k8s/overlays/single-redis");
    Map<String, Object> redis = find(overlay, "StatefulSet", "relay-redis");
    Map<String, Object> container = container(redis);
    assertThat(RedisAcl.of(list(container.get("args")))).isEqualTo(RedisAcl.of(list(
        at(DeployFiles.yaml("deploy/docker-compose.yml"), "services", "redis", "command"))));
    assertThat(list(container.get("args"))).contains(">$(REDIS_PASSWORD)", "~relay:*");
    assertThat(list(container.get("env"))).extracting(e -> at(e, "valueFrom", "secretKeyRef", "name"))
        .containsOnly("relay-redis-auth");
    assertThat(map(secret("relay-redis-auth").get("stringData"))).containsKey("REDIS_PASSWORD");
    assertThat((String) map(secret("relay-secrets").get("stringData")).get("REDIS_URL"))
        .startsWith("redis://relay:").endsWith("@relay-redis:6379");

    long limit = RedisAcl.bytes((String) at(container, "resources", "limits", "memory"));
    assertThat(RedisAcl.maxmemory(DeployFiles.text("deploy/redis.conf"))).isPositive()
        .isLessThanOrEqualTo(limit * 8 / 10);

    Map<String, Object> policy = find(overlay, "NetworkPolicy", "relay-redis");
    assertThat(map(at(policy, "spec", "podSelector", "matchLabels")))
        .isEqualTo(map(at(redis, "spec", "template", "metadata", "labels")).entrySet().stream()
            .filter(e -> e.getKey().equals("app.kubernetes.io/name"))
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    Map<String, Object> from = map(list(map(list(at(policy, "spec", "ingress")).get(0)).get("from")).get(0));
    assertThat(list(map(list(at(from, "podSelector", "matchExpressions")).get(0)).get("values")))
        .containsExactlyInAnyOrder("relay-ingest", "relay-push");
  }

  @Test
  void redisClusterHasSixPersistentNodesTheRelayAclAndOnlyRelayPodsMayReachIt() {
    List<Map<String, Object>> overlay = resources("deploy/k8s/overlays/redis-cluster");
    Map<String, Object> redis = find(overlay, "StatefulSet", "relay-redis-cluster");
    assertThat(at(redis, "spec", "replicas")).isEqualTo(6);
    String command = String.join(" ", list(container(redis).get("args")).stream().map(String::valueOf).toList());
    List<String> composeAcl = RedisAcl.of(list(at(DeployFiles.yaml("deploy/docker-compose.yml"), "services", "redis", "command")));
    for (String rule : composeAcl.subList(composeAcl.indexOf("relay") + 2, composeAcl.size())) {
      assertThat(command).as("the relay user's ACL as in compose").contains(rule);
    }
    String conf = DeployFiles.text("deploy/redis-cluster.conf");
    assertThat(conf).containsPattern("(?m)^cluster-enabled yes$").containsPattern("(?m)^appendfsync always$");
    long limit = RedisAcl.bytes((String) at(container(redis), "resources", "limits", "memory"));
    assertThat(RedisAcl.maxmemory(conf)).isPositive().isLessThanOrEqualTo(limit * 8 / 10);

    Map<String, Object> policy = find(overlay, "NetworkPolicy", "relay-redis-cluster");
    Map<String, Object> from = map(list(map(list(at(policy, "spec", "ingress")).get(0)).get("from")).get(0));
    assertThat(list(map(list(at(from, "podSelector", "matchExpressions")).get(0)).get("values")))
        .contains("relay-ingest", "relay-push");
    assertThat(map(secret("relay-redis-auth").get("stringData"))).containsKeys("REDIS_PASSWORD", "OPERATOR_PASSWORD");
    String seeds = DeployFiles.text("deploy/k8s/overlays/redis-cluster/kustomization.yaml");
    assertThat(seeds).contains("redis://relay:PW@relay-redis-cluster-0.relay-redis-cluster:6379,");
  }

  @Test
  void composeSetsOnlySettingsTheServicesReadAndWaitsForTheirShutdown() {
    Map<String, Object> compose = DeployFiles.yaml("deploy/docker-compose.yml");
    Map<String, Object> services = map(compose.get("services"));
    for (String name : List.of("ingest-1", "ingest-2", "push-1", "push-2")) {
      Set<String> read = name.startsWith("ingest") ? Settings.ingest() : Settings.push();
      assertThat(map(at(services, name, "environment")).keySet()).as(name).isSubsetOf(read);
      String grace = (String) at(services, name, "stop_grace_period");
      assertThat(Integer.parseInt(grace.replace("s", ""))).as(name)
          .isGreaterThan(ServiceLauncher.SHUTDOWN_TIMEOUT_SEC);
    }
    long limit = RedisAcl.bytes((String) at(services, "redis", "mem_limit"));
    assertThat(RedisAcl.maxmemory(DeployFiles.text("deploy/redis.conf"))).isLessThanOrEqualTo(limit * 8 / 10);
  }

  @Test
  void everySettingIsDocumented() {
    Set<String> all = new LinkedHashSet<>(Settings.ingest());
    all.addAll(Settings.push());
    String operations = DeployFiles.text("docs/operations.md");
    String readme = DeployFiles.text("README.md");
    for (String name : all) {
      assertThat(operations).as("docs/operations.md").contains("| `" + name + "` |");
      assertThat(readme).as("README.md").contains("| `" + name + "` |");
    }
  }
}
