package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.testing.ServiceProcess;
import io.relay.testing.SilentWebSocket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The faults of issue 3, each against separate processes: a redis-server, two ingest nodes and
 * three push nodes, heartbeat 1 s. Every test leaves all processes running for the next.
 */
class ProcessFaultsIT {

  static ProcessCluster cluster;
  static RedisProbe probe;

  @BeforeAll
  static void start() {
    // Some tests send hundreds of messages at once from one user: the per-user send limit is off.
    cluster = new ProcessCluster(2, 3, 1, List.of(), Map.of("RELAY_RATE_USER_PER_SEC", "0"));
    probe = new RedisProbe(cluster.vertx, cluster.redis.url());
  }

  @AfterAll
  static void stop() {
    probe.close();
    cluster.close();
  }

  private static JsonObject text(String to, String text) {
    return new JsonObject().put("to", to).put("body", new JsonObject().put("text", text));
  }

  private static List<String> texts(List<JsonObject> messages) {
    return messages.stream().map(m -> m.getJsonObject("body").getString("text")).toList();
  }

  @Test
  void onlyTheNodeHoldingTheRecipientReceivesItsMessage() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = cluster.token(RelayStack.newUser("alice"));
    List<Double> before = cluster.push.stream().map(n -> cluster.metric(n, "relay_live_received_total")).toList();
    try (WsClient ws = cluster.connect(cluster.push.get(1), cluster.token(bob), "")) {
      ws.hello();
      assertThat(cluster.send(cluster.ingest.get(0), aliceToken, text(bob, "one")).statusCode()).isEqualTo(201);
      ws.awaitMessages(1);
    }
    List<Double> after = cluster.push.stream().map(n -> cluster.metric(n, "relay_live_received_total")).toList();
    assertThat(after.get(1) - before.get(1)).as("the node holding bob").isEqualTo(1.0);
    assertThat(after.get(0) - before.get(0)).as("a node without recipients").isZero();
    assertThat(after.get(2) - before.get(2)).as("a node without recipients").isZero();
  }

  @Test
  void killedPushNodeLeavesNoBindingAndItsClientsResumeElsewhere() {
    String bob = RelayStack.newUser("bob");
    String bobToken = cluster.token(bob);
    String aliceToken = cluster.token(RelayStack.newUser("alice"));
    ServiceProcess doomed = cluster.push.get(2);
    String lastSeq;
    try (WsClient ws = cluster.connect(doomed, bobToken, "")) {
      ws.hello();
      cluster.send(cluster.ingest.get(0), aliceToken, text(bob, "before"));
      lastSeq = ws.awaitMessages(1).get(0).getString("seq");
      doomed.kill();
      long killedAt = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertThat(cluster.send(cluster.ingest.get(i % 2), aliceToken, text(bob, "while down " + i)).statusCode())
            .isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> probe.setSize(RedisKeys.bindings(bob)) == 0
          || !probe.exists(RedisKeys.bindings(bob)));
      long goneAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
      assertThat(goneAfterMs).as("binding gone within 2×heartbeat (+ scheduling slack)").isLessThan(2_600);
    } finally {
      doomed.restart();
    }
    try (WsClient ws = cluster.connect(cluster.push.get(0), bobToken, "&since=" + lastSeq)) {
      assertThat(texts(ws.awaitMessages(5))).containsExactly(
          "while down 0", "while down 1", "while down 2", "while down 3", "while down 4");
    }
  }

  @Test
  void killedIngestNodeLosesNoAcknowledgedMessageAndRetriesAreStoredOnce() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = cluster.token(RelayStack.newUser("alice"));
    ServiceProcess doomed = cluster.ingest.get(1);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      JsonObject message = text(bob, "m" + i).put("clientMsgId", "c" + i);
      answers.add(cluster.http.post(doomed.port(), "127.0.0.1", "/v1/messages")
          .putHeader("Authorization", "Bearer " + aliceToken).sendJsonObject(message).map(r -> r.statusCode()));
      if (i == 100) {
        doomed.kill();
      }
    }
    Future.join(answers).otherwiseEmpty().await();
    List<String> acknowledged = new ArrayList<>();
    List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      Future<Integer> answer = answers.get(i);
      (answer.succeeded() && answer.result() == 201 ? acknowledged : unanswered).add("m" + i);
    }
    // Whatever got no answer is retried with the same clientMsgId on the surviving node.
    for (String text : unanswered) {
      JsonObject retry = text(bob, text).put("clientMsgId", "c" + text.substring(1));
      assertThat(cluster.send(cluster.ingest.get(0), aliceToken, retry).statusCode()).isIn(200, 201);
    }
    doomed.restart();
    try (WsClient ws = cluster.connect(cluster.push.get(0), cluster.token(bob), "&since=0")) {
      List<String> received = texts(ws.awaitMessages(200));
      assertThat(received).as("every message exactly once").hasSize(200).doesNotHaveDuplicates();
      assertThat(received).containsAll(acknowledged);
    }
  }

  @Test
  void redisKilledAndRestartedOnItsDataLosesNothingAcknowledged() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = cluster.token(RelayStack.newUser("alice"));
    try (WsClient ws = cluster.connect(cluster.push.get(0), cluster.token(bob), "")) {
      ws.hello();
      for (int i = 0; i < 20; i++) {
        assertThat(cluster.send(cluster.ingest.get(i % 2), aliceToken, text(bob, "a" + i)).statusCode()).isEqualTo(201);
      }
      cluster.redis.kill();
      long start = System.nanoTime();
      var refused = cluster.send(cluster.ingest.get(0), aliceToken, text(bob, "refused"));
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(waitedMs).as("bounded wait, no hang").isLessThan(5_000);
      cluster.redis.restart();
      await().atMost(Duration.ofSeconds(15)).until(() ->
          cluster.send(cluster.ingest.get(1), aliceToken, text(bob, "after")).statusCode() == 201);
      List<String> received = texts(ws.awaitMessages(21));
      assertThat(received).startsWith("a0", "a1", "a2").contains("a19", "after").doesNotContain("refused");
    }
    assertThat(probe.send(Command.XLEN, RedisKeys.log(bob)).toLong()).isEqualTo(21);
  }

  @Test
  void droppedPubSubConnectionsRecoverWithTheGapFilledFromTheLog() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = cluster.token(RelayStack.newUser("alice"));
    double reconnectsBefore = cluster.metric(cluster.push.get(1), "relay_pubsub_reconnects_total");
    try (WsClient ws = cluster.connect(cluster.push.get(1), cluster.token(bob), "")) {
      ws.hello();
      assertThat(probe.killPubSubConnections()).isPositive();
      for (int i = 0; i < 10; i++) {
        cluster.send(cluster.ingest.get(i % 2), aliceToken, text(bob, "g" + i));
      }
      assertThat(texts(ws.awaitMessages(10))).containsExactly("g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9");
      assertThat(cluster.metric(cluster.push.get(1), "relay_pubsub_reconnects_total")).isGreaterThan(reconnectsBefore);
    }
  }

  @Test
  void halfOpenClientIsClosedWithinTwoHeartbeatsAndUnbound() throws Exception {
    String bob = RelayStack.newUser("bob");
    try (SilentWebSocket silent = new SilentWebSocket(cluster.push.get(0).port(), "/v1/ws?token=" + cluster.token(bob))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> probe.setSize(RedisKeys.bindings(bob)) == 1);
      long boundAt = System.nanoTime();
      await().atMost(Duration.ofSeconds(10)).until(() -> probe.setSize(RedisKeys.bindings(bob)) == 0);
      assertThat((System.nanoTime() - boundAt) / 1_000_000).isLessThan(3_000);
    }
  }

  @Test
  void slowConsumerIsClosedWith4008AndResumesWithNothingLost() throws Exception {
    String bob = RelayStack.newUser("bob");
    String bobToken = cluster.token(bob);
    ServiceProcess node = cluster.push.get(1);
    double dropsBefore = cluster.metric(node, "relay_queue_drops_total");
    String padding = "p".repeat(32 * 1024);
    int burst = 400;
    try (SilentWebSocket slow = new SilentWebSocket(node.port(), "/v1/ws?token=" + bobToken)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> probe.setSize(RedisKeys.bindings(bob)) == 1);
      // All at once, well inside the 2 s the silent client has before its heartbeat timeout.
      List<JsonObject> messages = new ArrayList<>();
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        JsonObject message = text(bob, "m" + i).put("clientMsgId", "slow-" + i);
        message.getJsonObject("body").put("pad", padding);
        messages.add(message);
        answers.add(cluster.http.post(cluster.ingest.get(i % 2).port(), "127.0.0.1", "/v1/messages")
            .putHeader("X-Api-Key", ProcessCluster.API_KEY).sendJsonObject(message).map(r -> r.statusCode()));
      }
      Future.join(answers).otherwiseEmpty().await();
      // A loaded Redis may answer some of the burst 503 (its store deadline): a client retries
      // those with the same clientMsgId, as documented, and each is then stored exactly once.
      for (int i = 0; i < burst; i++) {
        if (!answers.get(i).succeeded() || answers.get(i).result() != 201) {
          int index = i;
          await().atMost(Duration.ofSeconds(10)).until(() ->
              List.of(200, 201).contains(cluster.sendAsBackend(cluster.ingest.get(0), messages.get(index)).statusCode()));
        }
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> cluster.metric(node, "relay_queue_drops_total") == dropsBefore + 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> probe.setSize(RedisKeys.bindings(bob)) == 0);
    }
    try (WsClient ws = cluster.connect(cluster.push.get(0), bobToken, "&since=0")) {
      List<String> received = texts(ws.awaitMessages(burst));
      assertThat(received).hasSize(burst).doesNotHaveDuplicates();
      assertThat(received).containsExactlyInAnyOrderElementsOf(
          java.util.stream.IntStream.range(0, burst).mapToObj(i -> "m" + i).toList());
    }
  }

  @Test
  void sigtermOnPushSays1012AndRemovesBindings() {
    String bob = RelayStack.newUser("bob");
    String bobToken = cluster.token(bob);
    String aliceToken = cluster.token(RelayStack.newUser("alice"));
    ServiceProcess leaving = cluster.push.get(2);
    String lastSeq;
    try (WsClient ws = cluster.connect(leaving, bobToken, "")) {
      ws.hello();
      cluster.send(cluster.ingest.get(0), aliceToken, text(bob, "1"));
      lastSeq = ws.awaitMessages(1).get(0).getString("seq");
      assertThat(leaving.terminate()).isIn(0, 143);
      assertThat(ws.awaitClose()).isEqualTo((short) 1012);
      assertThat(probe.setSize(RedisKeys.bindings(bob))).isZero();
    } finally {
      leaving.restart();
    }
    cluster.send(cluster.ingest.get(0), aliceToken, text(bob, "2"));
    try (WsClient ws = cluster.connect(cluster.push.get(0), bobToken, "&since=" + lastSeq)) {
      assertThat(texts(ws.awaitMessages(1))).containsExactly("2");
    }
  }

  @Test
  void sigtermOnIngestFinishesRequestsInFlight() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = cluster.token(RelayStack.newUser("alice"));
    ServiceProcess leaving = cluster.ingest.get(1);
    // Hold every write in Redis for a moment, so the requests are surely in flight when SIGTERM
    // arrives. The pause stays well inside the store deadline (half the 3 s Redis timeout):
    // longer, and the stores would rightly be refused as late (503).
    probe.send(Command.CLIENT, "PAUSE", 600, "WRITE");
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      answers.add(cluster.http.post(leaving.port(), "127.0.0.1", "/v1/messages")
          .putHeader("Authorization", "Bearer " + aliceToken).sendJsonObject(text(bob, "f" + i))
          .map(r -> r.statusCode()));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !probe.send(Command.INFO, "clients").toString()
        .contains("blocked_clients:0"));
    try {
      leaving.terminate();
      Future.join(answers).otherwiseEmpty().await();
      assertThat(answers).allSatisfy(answer -> assertThat(answer.result()).isEqualTo(201));
      assertThat(probe.send(Command.XLEN, RedisKeys.log(bob)).toLong()).isEqualTo(10);
    } finally {
      leaving.restart();
    }
  }
}
