package io.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.relay.testing.Ports;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker-compose.yml run for real: Redis with the shipped config and its ACL user, 2 ingest
 * and 2 push containers built from the jars, HAProxy in front. Sends and receives through HAProxy
 * only, kills (SIGKILL) the push container holding the receiver and sees it resume on the other with
 * nothing lost, then stops the other one gracefully (1012) and resumes on the first again; tears
 * everything down. Needs a Docker daemon: without one it is skipped, saying why. Builds the local
 * base images (deploy/base-images.sh) first when they are missing. Also run by deploy/smoke-test.sh.
 */
class ComposeSmokeIT {

  private static final List<String> BASE_IMAGES =
      List.of("relay-base/jre:17-bookworm", "relay-base/redis:bookworm", "relay-base/haproxy:bookworm");

  private final long started = System.nanoTime();

  @Test
  void sendsReceivesAndResumesThroughHaproxyWhenAPushNodeDies() throws Exception {
    String reason = Compose.unavailableReason();
    if (reason != null) {
      System.out.println("SKIPPED ComposeSmokeIT: " + reason);
    }
    assumeTrue(reason == null, reason);
    ensureBaseImages();

    String apiKey = secret(16);
    int port = Ports.free();
    Compose compose = Compose.project("relay-smoke-" + secret(4), Map.of(
        "RELAY_JWT_SECRET", secret(32), "RELAY_API_KEYS", apiKey, "RELAY_REDIS_PASSWORD", secret(24),
        "RELAY_HTTP_PORT", Integer.toString(port)));
    RelayClient proxy = new RelayClient("http://127.0.0.1:" + port);
    boolean passed = false;
    try {
      compose.up().orFail("docker compose up --build");
      step("stack up (images built, containers started)");
      String bob = "smoke-bob";
      String bobToken = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions().until(() -> proxy.token(apiKey, bob), t -> t != null);
      String alice = proxy.token(apiKey, "smoke-alice");
      RelayClient.Socket socket = connectThrough(proxy, bobToken, null);
      step("ready: token minted and WebSocket hello through HAProxy");

      List<String> sent = new ArrayList<>();
      sendBatch(proxy, alice, bob, "before", sent);
      await().atMost(Duration.ofSeconds(20)).until(() -> socket.messages().size() == 5);
      step("5 messages sent through HAProxy (ingest) and received over its WebSocket (push)");

      String holder = nodeOf(proxy, apiKey, bob, socket);
      String other = holder.equals("push-1") ? "push-2" : "push-1";
      compose.kill(holder).orFail("kill " + holder);
      await().atMost(Duration.ofSeconds(30)).until(socket.closed::isDone);
      step("killed " + holder + " (SIGKILL); the client's socket dropped (" + socket.closed.get() + ")");

      sendBatch(proxy, alice, bob, "while-down", sent);
      String since = lastSeq(socket);
      RelayClient.Socket resumed = connectThrough(proxy, bobToken, since);
      await().atMost(Duration.ofSeconds(20)).until(() -> resumed.messages().size() == 5);
      assertThat(ids(socket, resumed)).as("every message exactly once, in order").containsExactlyElementsOf(sent);
      assertThat(nodeOf(proxy, apiKey, bob, resumed)).isEqualTo(other);
      step("resumed on " + other + " from seq " + since + ": all " + sent.size() + " messages, none twice");

      compose.start(holder).orFail("start " + holder);
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
          .until(() -> compose.health(holder).equals("healthy"));
      CompletableFuture<Compose.Result> stopping = CompletableFuture.supplyAsync(() -> compose.stop(other, 60));
      assertThat(resumed.closed.get(60, java.util.concurrent.TimeUnit.SECONDS)).as("close code").isEqualTo(1012);
      stopping.get().orFail("stop " + other);
      step(holder + " restarted; " + other + " stopped gracefully (SIGTERM): the client got 1012");

      RelayClient.Socket third = connectThrough(proxy, bobToken, lastSeq(resumed));
      sendBatch(proxy, alice, bob, "after-1012", sent);
      await().atMost(Duration.ofSeconds(20)).until(() -> third.messages().size() == 5);
      assertThat(ids(socket, resumed, third)).containsExactlyElementsOf(sent);
      assertThat(nodeOf(proxy, apiKey, bob, third)).isEqualTo(holder);
      step("resumed on " + holder + ": " + sent.size() + " messages in all, nothing lost or repeated");
      third.close();
      passed = true;
    } finally {
      if (!passed) {
        System.out.println("compose logs:\n" + compose.logs().output());
      }
      compose.down().orFail("docker compose down");
      step("torn down (containers, network, volume)");
    }
  }

  private static void ensureBaseImages() {
    boolean present = BASE_IMAGES.stream()
        .allMatch(image -> Compose.run(List.of("docker", "image", "inspect", image), Map.of(), 30).exit() == 0);
    if (!present) {
      System.out.println("ComposeSmokeIT: building the local base images (deploy/base-images.sh, a few minutes once)");
      Compose.run(List.of(DeployFiles.path("deploy/base-images.sh").toString()), Map.of(), 1800)
          .orFail("deploy/base-images.sh");
    }
  }

  /** Connects through HAProxy until hello arrives (right after a node dies, a try may land on it). */
  private static RelayClient.Socket connectThrough(RelayClient proxy, String token, String since) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> {
          RelayClient.Socket socket = proxy.connect(token, since);
          try {
            await().atMost(Duration.ofSeconds(5)).until(socket::helloReceived);
            return socket;
          } catch (RuntimeException e) {
            socket.close();
            throw e;
          }
        }, s -> s != null);
  }

  private static void sendBatch(RelayClient proxy, String token, String to, String label, List<String> sent)
      throws Exception {
    for (int i = 0; i < 5; i++) {
      String id = label + "-" + i;
      assertThat(proxy.send(token, to, id)).as("POST %s", id).isEqualTo(201);
      sent.add(id);
    }
  }

  /** {@code push-1-0} (event loop 0 of push-1, see docs/architecture.md#event-loops) → {@code push-1}. */
  private static String processOf(String loopNode) {
    return loopNode.substring(0, loopNode.lastIndexOf('-'));
  }

  /** The node holding the socket's connection, from presence (a killed node's bindings linger until they expire). */
  private static String nodeOf(RelayClient proxy, String apiKey, String uid, RelayClient.Socket socket) {
    String connectionId = socket.frames.stream().filter(f -> "hello".equals(f.getString("type"))).findFirst()
        .orElseThrow().getString("connectionId");
    return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      JsonObject presence = new JsonObject(proxy.getWithKey("/v1/presence/" + uid, apiKey).body());
      return presence.getJsonArray("connections").stream().map(c -> (JsonObject) c)
          .filter(c -> connectionId.equals(c.getString("id"))).map(c -> c.getString("node")).findFirst()
          .map(ComposeSmokeIT::processOf).orElse(null);
    }, node -> node != null);
  }

  private static String lastSeq(RelayClient.Socket socket) {
    List<JsonObject> messages = socket.messages();
    return messages.get(messages.size() - 1).getString("seq");
  }

  /** The texts of every message frame, in arrival order across the given sockets. */
  private static List<String> ids(RelayClient.Socket... sockets) {
    List<String> texts = new ArrayList<>();
    for (RelayClient.Socket socket : sockets) {
      socket.messages().forEach(m -> texts.add(m.getJsonObject("body").getString("text")));
    }
    Set<String> unique = new LinkedHashSet<>(texts);
    assertThat(unique).hasSameSizeAs(texts);
    return texts;
  }

  private void step(String what) {
    System.out.printf("ComposeSmokeIT [%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
  }

  private static String secret(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
