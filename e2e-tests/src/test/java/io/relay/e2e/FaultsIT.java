package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.push.PushNode;
import io.relay.testing.SilentWebSocket;
import io.relay.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Faults the services must survive without losing a message that was answered 2xx. */
class FaultsIT {

  static TestRedis redis;
  static RelayStack relay;
  static RedisProbe probe;

  @BeforeAll
  static void start() {
    redis = TestRedis.startKillable();
    relay = new RelayStack(redis, Map.of("RELAY_HEARTBEAT_SEC", "2", "RELAY_SEND_QUEUE_MAX", "20"));
    probe = new RedisProbe(relay.vertx, redis.url());
  }

  @AfterAll
  static void stop() {
    probe.close();
    relay.close();
    redis.close();
  }

  private static List<String> texts(List<JsonObject> messages) {
    return messages.stream().map(m -> m.getJsonObject("body").getString("text")).toList();
  }

  @Test
  void messagesPublishedWhileThePubSubConnectionIsDownStillArrive() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    try (WsClient ws = relay.connect(relay.token(bob))) {
      ws.hello();
      relay.sendText(aliceToken, bob, "before");
      ws.awaitMessages(1);
      assertThat(probe.killPubSubConnections()).isPositive();
      List<String> sent = new ArrayList<>(List.of("before"));
      for (int i = 0; i < 5; i++) {
        relay.sendText(aliceToken, bob, "gap-" + i);
        sent.add("gap-" + i);
      }
      relay.sendText(aliceToken, bob, "after");
      sent.add("after");
      assertThat(texts(ws.awaitMessages(sent.size()))).containsExactlyElementsOf(sent);
      relay.sendText(aliceToken, bob, "live again");
      assertThat(texts(ws.awaitMessages(sent.size() + 1))).last().isEqualTo("live again");
    }
  }

  @Test
  void redisCrashAnswers503ThenBothServicesRecoverWithNothingLost() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    try (WsClient ws = relay.connect(relay.token(bob))) {
      ws.hello();
      relay.sendText(aliceToken, bob, "acked before crash");
      ws.awaitMessages(1);

      redis.kill();
      var refused = relay.send(aliceToken, new JsonObject().put("to", bob).put("body", new JsonObject().put("text", "x")));
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unavailable");

      redis.restart();
      await().atMost(WsClient.WAIT).until(() -> relay.send(aliceToken,
          new JsonObject().put("to", bob).put("body", new JsonObject().put("text", "after restart"))).statusCode() == 201);
      List<String> received = texts(ws.awaitMessages(2));
      assertThat(received).containsExactly("acked before crash", "after restart");
      assertThat(probe.send(io.vertx.redis.client.Command.XLEN, RedisKeys.log(bob)).toLong()).isEqualTo(2);
    }
  }

  @Test
  void slowConsumerIsClosedAndResumesWithNothingLost() throws Exception {
    String bob = RelayStack.newUser("bob");
    String bobToken = relay.token(bob);
    String padding = "p".repeat(32 * 1024);
    double dropsBefore = relay.push.metrics().queueDrops.count();
    int sent = 0;
    try (SilentWebSocket silent = new SilentWebSocket(relay.push.port(), "/v1/ws?token=" + bobToken)) {
      await().atMost(WsClient.WAIT).until(() -> relay.push.connections() > 0);
      while (relay.push.metrics().queueDrops.count() == dropsBefore && sent < 2000) {
        var response = relay.sendAsBackend(new JsonObject().put("to", bob).put("body",
            new JsonObject().put("text", "m" + sent).put("pad", padding)));
        assertThat(response.statusCode()).isEqualTo(201);
        sent++;
      }
      assertThat(relay.push.metrics().queueDrops.count()).isEqualTo(dropsBefore + 1);
      await().atMost(WsClient.WAIT).until(() -> probe.setSize(RedisKeys.bindings(bob)) == 0);
    }
    try (WsClient ws = relay.connect(relay.push, bobToken, "&since=0")) {
      List<JsonObject> all = ws.awaitMessages(sent);
      assertThat(all).hasSize(sent);
      for (int i = 0; i < sent; i++) {
        assertThat(all.get(i).getJsonObject("body").getString("text")).isEqualTo("m" + i);
      }
    }
  }

  @Test
  void gracefulShutdownSays1012AndClientsResumeElsewhere() {
    String bob = RelayStack.newUser("bob");
    String bobToken = relay.token(bob);
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    PushNode leaving = relay.addPushNode();
    String lastSeq;
    String connectionId;
    try (WsClient ws = relay.connect(leaving, bobToken, "")) {
      connectionId = ws.hello().getString("connectionId");
      relay.sendText(aliceToken, bob, "1");
      lastSeq = ws.awaitMessages(1).get(0).getString("seq");
      relay.stopPushNode(leaving);
      assertThat(ws.awaitClose()).isEqualTo((short) 1012);
    }
    assertThat(probe.exists(RedisKeys.binding(bob, connectionId))).isFalse();
    relay.sendText(aliceToken, bob, "2");
    try (WsClient ws = relay.connect(relay.push, bobToken, "&since=" + lastSeq)) {
      assertThat(texts(ws.awaitMessages(1))).containsExactly("2");
    }
  }
}
