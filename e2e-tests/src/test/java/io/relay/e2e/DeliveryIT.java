package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.push.PushNode;
import io.relay.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST → Redis → pub/sub → WebSocket, with real services, a real Redis and real clients. */
class DeliveryIT {

  static TestRedis redis;
  static RelayStack relay;
  static RedisProbe probe;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of("RELAY_HEARTBEAT_SEC", "1"));
    probe = new RedisProbe(relay.vertx, redis.url());
  }

  @AfterAll
  static void stop() {
    probe.close();
    relay.close();
    redis.close();
  }

  @Test
  void liveMessageReachesRecipientAndSendersOtherDevices() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    try (WsClient bobWs = relay.connect(relay.token(bob)); WsClient aliceWs = relay.connect(aliceToken)) {
      bobWs.hello();
      aliceWs.hello();
      String id = relay.sendText(aliceToken, bob, "hi");

      JsonObject received = bobWs.awaitMessages(1).get(0);
      assertThat(received.getString("id")).isEqualTo(id);
      assertThat(received.getString("from")).isEqualTo(alice);
      assertThat(received.getString("to")).isEqualTo(bob);
      assertThat(received.getValue("room")).isNull();
      assertThat(received.getJsonObject("body").getString("text")).isEqualTo("hi");
      assertThat(received.getString("seq")).matches("\\d+-\\d+");
      assertThat(received.getLong("ts")).isPositive();
      assertThat(aliceWs.awaitMessages(1).get(0).getString("id")).isEqualTo(id);
    }
  }

  @Test
  void helloCarriesTheConnectionFacts() {
    String bob = RelayStack.newUser("bob");
    try (WsClient ws = relay.connect(relay.token(bob))) {
      JsonObject hello = ws.hello();
      assertThat(hello.getString("uid")).isEqualTo(bob);
      assertThat(hello.getString("connectionId")).isNotBlank();
      assertThat(hello.getInteger("heartbeatSec")).isEqualTo(1);
      assertThat(hello.getBoolean("recovered")).isTrue();
    }
  }

  @Test
  void offlineRecipientGetsEverythingInOrderOnConnect() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    List<String> sent = List.of(relay.sendText(aliceToken, bob, "1"), relay.sendText(aliceToken, bob, "2"),
        relay.sendText(aliceToken, bob, "3"));
    try (WsClient ws = relay.connect(relay.token(bob))) {
      assertThat(ws.awaitMessages(3)).extracting(m -> m.getString("id")).containsExactlyElementsOf(sent);
    }
  }

  @Test
  void sinceReplaysOnlyWhatCameAfterIt() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    relay.sendText(aliceToken, bob, "1");
    relay.sendText(aliceToken, bob, "2");
    relay.sendText(aliceToken, bob, "3");
    String firstSeq;
    try (WsClient ws = relay.connect(bobToken)) {
      firstSeq = ws.awaitMessages(3).get(0).getString("seq");
    }
    try (WsClient ws = relay.connect(relay.push, bobToken, "&since=" + firstSeq)) {
      ws.hello();
      List<JsonObject> replayed = ws.awaitMessages(2);
      assertThat(replayed).extracting(m -> m.getJsonObject("body").getString("text")).containsExactly("2", "3");
      relay.sendText(aliceToken, bob, "4");
      assertThat(ws.awaitMessages(3).get(2).getJsonObject("body").getString("text")).isEqualTo("4");
    }
  }

  @Test
  void ackedCursorIsWhereTheDeviceResumes() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    relay.sendText(aliceToken, bob, "1");
    relay.sendText(aliceToken, bob, "2");
    relay.sendText(aliceToken, bob, "3");
    try (WsClient ws = relay.connect(relay.push, bobToken, "&device=phone")) {
      String second = ws.awaitMessages(3).get(1).getString("seq");
      ws.send(new JsonObject().put("type", "ack").put("seq", second));
      await().atMost(WsClient.WAIT).until(() ->
          second.equals(probe.send(Command.HGET, RedisKeys.cursors(bob), "phone").toString()));
    }
    try (WsClient phone = relay.connect(relay.push, bobToken, "&device=phone");
         WsClient laptop = relay.connect(relay.push, bobToken, "&device=laptop")) {
      assertThat(phone.awaitMessages(1)).extracting(m -> m.getJsonObject("body").getString("text")).containsExactly("3");
      assertThat(laptop.awaitMessages(3)).hasSize(3);
      relay.sendText(aliceToken, bob, "4");
      phone.awaitMessages(2);
      assertThat(phone.messages()).hasSize(2);
    }
  }

  @Test
  void olderAckNeverMovesTheCursorBack() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    relay.sendText(aliceToken, bob, "1");
    relay.sendText(aliceToken, bob, "2");
    try (WsClient ws = relay.connect(relay.token(bob))) {
      List<JsonObject> messages = ws.awaitMessages(2);
      String first = messages.get(0).getString("seq");
      String second = messages.get(1).getString("seq");
      ws.send(new JsonObject().put("type", "ack").put("seq", second));
      ws.send(new JsonObject().put("type", "ack").put("seq", first));
      ws.send(new JsonObject().put("type", "ping"));
      ws.awaitFrame("pong", f -> "pong".equals(f.getString("type")));
      await().atMost(WsClient.WAIT).until(() ->
          second.equals(probe.send(Command.HGET, RedisKeys.cursors(bob), "default").toString()));
    }
  }

  @Test
  void everyConnectionOfTheUserGetsEveryMessage() {
    String bob = RelayStack.newUser("bob");
    String bobToken = relay.token(bob);
    PushNode second = relay.addPushNode();
    try (WsClient one = relay.connect(bobToken);
         WsClient two = relay.connect(relay.push, bobToken, "&device=tablet");
         WsClient three = relay.connect(second, bobToken, "")) {
      one.hello();
      two.hello();
      three.hello();
      String id = relay.sendText(relay.token(RelayStack.newUser("alice")), bob, "to all");
      for (WsClient ws : List.of(one, two, three)) {
        assertThat(ws.awaitMessages(1).get(0).getString("id")).isEqualTo(id);
      }
    } finally {
      relay.stopPushNode(second);
    }
  }

  @Test
  void repeatedClientMsgIdIsStoredAndDeliveredOnce() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    JsonObject message = new JsonObject().put("to", bob).put("body", "once").put("clientMsgId", "c-1");
    try (WsClient ws = relay.connect(relay.token(bob))) {
      ws.hello();
      var first = relay.send(aliceToken, message);
      var again = relay.send(aliceToken, message);
      assertThat(first.statusCode()).isEqualTo(201);
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(again.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
      assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
      relay.sendText(aliceToken, bob, "marker");
      List<JsonObject> received = ws.awaitMessages(2);
      assertThat(received).extracting(m -> m.getValue("body")).containsExactly("once", new JsonObject().put("text", "marker"));
    }
    assertThat(probe.send(Command.XLEN, RedisKeys.log(bob)).toLong()).isEqualTo(2);
  }

  @Test
  void bindingLivesWhileConnectedAndGoesOnClose() {
    String bob = RelayStack.newUser("bob");
    String connectionId;
    try (WsClient ws = relay.connect(relay.token(bob))) {
      connectionId = ws.hello().getString("connectionId");
      JsonObject binding = new JsonObject(probe.send(Command.GET,
          RedisKeys.binding(bob, connectionId)).toString());
      assertThat(binding.getString("id")).isEqualTo(connectionId);
      assertThat(binding.getString("transport")).isEqualTo("ws");
      assertThat(binding.getString("node")).startsWith("push-");
      assertThat(binding.getLong("since")).isPositive();
      assertThat(probe.setSize(RedisKeys.bindings(bob))).isEqualTo(1);
      long ttl = probe.send(Command.PTTL, RedisKeys.binding(bob, connectionId)).toLong();
      assertThat(ttl).isBetween(1L, 2000L);
    }
    await().atMost(WsClient.WAIT).until(() ->
        !probe.exists(RedisKeys.binding(bob, connectionId)) && probe.setSize(RedisKeys.bindings(bob)) == 0);
  }

  @Test
  void nodeSubscribesOnlyWhileItHoldsTheUser() {
    String bob = RelayStack.newUser("bob");
    PushNode node = relay.addPushNode();
    try {
      assertThat(node.subscriptions()).isZero();
      try (WsClient ws = relay.connect(node, relay.token(bob), "")) {
        ws.hello();
        assertThat(node.subscriptions()).isEqualTo(1);
        assertThat(node.connections()).isEqualTo(1);
      }
      await().atMost(WsClient.WAIT).until(() ->
          node.subscriptions() == 0 && node.connections() == 0);
    } finally {
      relay.stopPushNode(node);
    }
  }
}
