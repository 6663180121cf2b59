package io.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Renders each overlay with {@code kubectl kustomize} where kubectl is installed; skipped (saying so) elsewhere. */
class KustomizeBuildTest {

  @Test
  void singleRedisRendersTheServicesAndTheirRedis() throws Exception {
    assertThat(kinds("deploy/k8s/overlays/single-redis")).containsExactlyInAnyOrder(
        "Service relay-ingest", "Service relay-push", "Service relay-redis",
        "Deployment relay-ingest", "Deployment relay-push", "StatefulSet relay-redis",
        "HorizontalPodAutoscaler relay-ingest", "HorizontalPodAutoscaler relay-push",
        "PodDisruptionBudget relay-ingest", "PodDisruptionBudget relay-push",
        "NetworkPolicy relay-redis", "Ingress relay");
  }

  @Test
  void redisClusterRendersTheServicesTheClusterAndItsCreateJob() throws Exception {
    assertThat(kinds("deploy/k8s/overlays/redis-cluster")).containsExactlyInAnyOrder(
        "Service relay-ingest", "Service relay-push", "Service relay-redis-cluster",
        "Deployment relay-ingest", "Deployment relay-push", "StatefulSet relay-redis-cluster",
        "Job relay-redis-cluster-create",
        "HorizontalPodAutoscaler relay-ingest", "HorizontalPodAutoscaler relay-push",
        "PodDisruptionBudget relay-ingest", "PodDisruptionBudget relay-push",
        "NetworkPolicy relay-redis-cluster", "Ingress relay");
  }

  @Test
  void externalRedisRendersTheServicesOnly() throws Exception {
    assertThat(kinds("deploy/k8s/overlays/external-redis")).containsExactlyInAnyOrder(
        "Service relay-ingest", "Service relay-push", "Deployment relay-ingest", "Deployment relay-push",
        "HorizontalPodAutoscaler relay-ingest", "HorizontalPodAutoscaler relay-push",
        "PodDisruptionBudget relay-ingest", "PodDisruptionBudget relay-push", "Ingress relay");
  }

  private static List<String> kinds(String overlay) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("kubectl", "kustomize", DeployFiles.path(overlay).toString()).start();
    } catch (IOException e) {
      String reason = "kubectl not installed: " + overlay + " not rendered (K8sManifestsTest still reads its files)";
      System.out.println("SKIPPED: " + reason);
      assumeTrue(false, reason);
      throw e;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(errors).isZero();
    List<String> kinds = new ArrayList<>();
    for (Object document : new Yaml().loadAll(output)) {
      kinds.add(DeployFiles.map(document).get("kind") + " " + DeployFiles.at(document, "metadata", "name"));
    }
    return kinds;
  }
}
