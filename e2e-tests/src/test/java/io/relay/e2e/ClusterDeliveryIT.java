package io.relay.e2e;

import static io.relay.e2e.ClusterStack.text;
import static io.relay.e2e.ClusterStack.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.testing.RedisProcess;
import io.relay.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery on a real 3-primary Redis Cluster: one ingest node and two push nodes, whose pub/sub
 * is sharded (one subscriber connection per primary). Users are picked so that their keys live on
 * the shard each test needs.
 */
class ClusterDeliveryIT {

  static ClusterStack stack;

  @BeforeAll
  static void start() {
    stack = new ClusterStack(1, 2, Map.of());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void directMessagesBetweenShardsArriveWithEchoToTheSendersOtherDevice() {
    List<String> users = stack.usersOnEveryShard("dm");
    String alice = users.get(0);
    String bob = users.get(1);
    String aliceToken = stack.token(alice);
    String bobToken = stack.token(bob);
    try (WsClient alicePhone = stack.connect(stack.push.get(0), aliceToken, "&device=phone");
        WsClient aliceLaptop = stack.connect(stack.push.get(1), aliceToken, "&device=laptop");
        WsClient bobWs = stack.connect(stack.push.get(1), bobToken, "")) {
      alicePhone.hello();
      aliceLaptop.hello();
      bobWs.hello();

      HttpResponse<Buffer> sent = stack.send(aliceToken, text(bob, "across shards"));
      assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
      String id = sent.bodyAsJsonObject().getString("id");

      JsonObject received = bobWs.awaitMessages(1).get(0);
      assertThat(received.getString("id")).isEqualTo(id);
      assertThat(received.getString("from")).isEqualTo(alice);
      assertThat(aliceLaptop.awaitMessages(1).get(0).getString("id")).as("echo to the other device").isEqualTo(id);
      assertThat(alicePhone.awaitMessages(1).get(0).getString("id")).isEqualTo(id);

      assertThat(stack.send(bobToken, text(alice, "and back")).statusCode()).isEqualTo(201);
      assertThat(texts(alicePhone.awaitMessages(2))).containsExactly("across shards", "and back");
      assertThat(texts(aliceLaptop.awaitMessages(2))).containsExactly("across shards", "and back");
      assertThat(texts(bobWs.awaitMessages(2))).containsExactly("across shards", "and back");
    }
  }

  @Test
  void aRoomWhoseMembersSpanEveryShardIsDeliveredLiveAndTypingReachesThem() {
    List<String> members = new ArrayList<>(stack.usersOnEveryShard("member"));
    members.addAll(stack.usersOnEveryShard("member"));
    String owner = members.get(0);
    String room = RelayStack.newUser("room");
    HttpResponse<Buffer> created = stack.post(stack.ingest.get(0), "/v1/rooms", stack.token(owner),
        new JsonObject().put("id", room).put("members", new JsonArray(members.subList(1, members.size())))).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);

    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < members.size(); i++) {
        WsClient ws = stack.connect(stack.push.get(i % 2), stack.token(members.get(i)), "");
        clients.add(ws);
        ws.hello();
      }
      String ownerToken = stack.token(owner);
      HttpResponse<Buffer> posted = stack.send(ownerToken,
          new JsonObject().put("room", room).put("body", new JsonObject().put("text", "to all shards")));
      assertThat(posted.statusCode()).as(posted.bodyAsString()).isEqualTo(201);
      Predicate<JsonObject> theMessage = f -> "message".equals(f.getString("type")) && room.equals(f.getString("room"));
      List<Integer> missing = new ArrayList<>();
      try {
        await().atMost(WsClient.WAIT)
            .until(() -> clients.stream().allMatch(ws -> ws.frames().stream().anyMatch(theMessage)));
      } catch (RuntimeException e) {
        for (int i = 0; i < clients.size(); i++) {
          if (clients.get(i).frames().stream().noneMatch(theMessage)) {
            missing.add(i);
          }
        }
      }
      assertThat(missing).as("members (0 = the sender) on push-(i % 2) without the room message").isEmpty();

      clients.get(0).send(new JsonObject().put("type", "typing").put("room", room));
      Predicate<JsonObject> typing = f -> "typing".equals(f.getString("type")) && room.equals(f.getString("room"));
      for (WsClient ws : clients.subList(1, clients.size())) {
        assertThat(ws.awaitFrame("room typing", typing))
            .isEqualTo(new JsonObject().put("type", "typing").put("from", owner).put("room", room));
      }
      clients.get(0).send(new JsonObject().put("type", "typing").put("to", members.get(2)));
      assertThat(clients.get(2).awaitFrame("typing to a user", f -> "typing".equals(f.getString("type"))
          && f.getString("to") != null)).isEqualTo(new JsonObject().put("type", "typing").put("from", owner)
          .put("to", members.get(2)));
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void presenceOfUsersOnEveryShard() {
    List<String> online = stack.usersOnEveryShard("online");
    List<String> offline = stack.usersOnEveryShard("offline");
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < online.size(); i++) {
        WsClient ws = stack.connect(stack.push.get(i % 2), stack.token(online.get(i)), "");
        clients.add(ws);
        ws.hello();
      }
      List<String> asked = new ArrayList<>(online);
      asked.addAll(offline);
      HttpResponse<Buffer> response = stack.getAsBackend("/v1/presence?uids=" + String.join(",", asked));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonArray presence = response.bodyAsJsonObject().getJsonArray("presence");
      for (int i = 0; i < asked.size(); i++) {
        JsonObject one = presence.getJsonObject(i);
        assertThat(one.getString("uid")).isEqualTo(asked.get(i));
        assertThat(one.getBoolean("online")).as(asked.get(i)).isEqualTo(i < online.size());
      }
    } finally {
      clients.forEach(WsClient::close);
    }
    await().atMost(WsClient.WAIT).until(() -> stack.getAsBackend("/v1/presence/" + online.get(0))
        .bodyAsJsonObject().getBoolean("online") == Boolean.FALSE);
  }

  @Test
  void aClientResumesAfterItsPushNodeIsKilledAndRestartedWithNothingLostOrRepeated() {
    List<String> users = stack.usersOnEveryShard("resume");
    String alice = users.get(0);
    String bob = users.get(2);
    String aliceToken = stack.token(alice);
    String bobToken = stack.token(bob);
    ServiceProcess doomed = stack.push.get(1);
    String lastSeq;
    try (WsClient ws = stack.connect(doomed, bobToken, "")) {
      ws.hello();
      assertThat(stack.send(aliceToken, text(bob, "before")).statusCode()).isEqualTo(201);
      lastSeq = ws.awaitMessages(1).get(0).getString("seq");
      doomed.kill();
      for (int i = 0; i < 5; i++) {
        assertThat(stack.send(aliceToken, text(bob, "while down " + i)).statusCode()).isEqualTo(201);
      }
    } finally {
      if (!doomed.isAlive()) {
        doomed.restart();
      }
    }
    try (WsClient ws = stack.connect(doomed, bobToken, "&since=" + lastSeq)) {
      ws.hello();
      assertThat(texts(ws.awaitMessages(5))).containsExactly(
          "while down 0", "while down 1", "while down 2", "while down 3", "while down 4");
      assertThat(stack.send(aliceToken, text(bob, "live again")).statusCode()).isEqualTo(201);
      assertThat(texts(ws.awaitMessages(6))).containsExactly(
          "while down 0", "while down 1", "while down 2", "while down 3", "while down 4", "live again");
    }
  }

  @Test
  void roomEntriesAndDirectMessagesToOneUserArriveLiveInLogOrderWithNoneSkipped() {
    List<String> users = stack.usersOnEveryShard("order");
    String bob = users.get(0);
    String alice = users.get(1);
    String carol = users.get(2);
    String room = RelayStack.newUser("room");
    String aliceToken = stack.token(alice);
    String carolToken = stack.token(carol);
    assertThat(stack.post(stack.ingest.get(0), "/v1/rooms", carolToken,
        new JsonObject().put("id", room).put("members", new JsonArray(List.of(bob)))).await().statusCode())
        .isEqualTo(201);
    int each = 30;
    try (WsClient bobWs = stack.connect(stack.push.get(0), stack.token(bob), "")) {
      bobWs.hello();
      // Room entries (routed per push node) and direct messages (on bob's own channel) at once.
      List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        sends.add(stack.post(stack.ingest.get(0), "/v1/messages", carolToken,
            new JsonObject().put("room", room).put("body", new JsonObject().put("text", "room " + i))));
        sends.add(stack.post(stack.ingest.get(0), "/v1/messages", aliceToken, text(bob, "dm " + i)));
      }
      Future.all(sends).await();
      assertThat(sends).allMatch(f -> f.result().statusCode() == 201);

      bobWs.awaitMessages(2 * each);
      try (WsClient resumed = stack.connect(stack.push.get(1), stack.token(bob), "&since=0")) {
        resumed.hello();
        resumed.awaitMessages(2 * each);
        // Every entry with a seq (the room-created event too), as it came live and as the log holds it.
        assertThat(seqs(bobWs)).as("live, in log order, none skipped").isEqualTo(seqs(resumed));
      }
    }
  }

  @Test
  void aReadReceiptCrossesShardsToTheSender() {
    List<String> users = stack.usersOnEveryShard("receipt");
    String alice = users.get(0);
    String bob = users.get(1);
    String aliceToken = stack.token(alice);
    try (WsClient aliceWs = stack.connect(stack.push.get(0), aliceToken, "");
        WsClient bobWs = stack.connect(stack.push.get(1), stack.token(bob), "")) {
      aliceWs.hello();
      bobWs.hello();
      String id = stack.send(aliceToken, text(bob, "read me")).bodyAsJsonObject().getString("id");
      bobWs.awaitMessages(1);
      bobWs.send(new JsonObject().put("type", "read").put("id", id));
      JsonObject receipt = aliceWs.awaitFrame("receipt", f -> "receipt".equals(f.getString("type")));
      assertThat(receipt.getString("id")).isEqualTo(id);
      assertThat(receipt.getString("by")).isEqualTo(bob);
    }
  }

  @Test
  void channelsOnEveryShardReachTheirSubscribersOnBothPushNodes() {
    List<String> channels = stack.redis.primaries().stream().map(this::channelOn).toList();
    String uid = RelayStack.newUser("viewer");
    HttpResponse<Buffer> issued = stack.asBackend("/v1/tokens",
        new JsonObject().put("uid", uid).put("ttlSec", 3600).put("channels", new JsonArray(List.of("show:*"))));
    assertThat(issued.statusCode()).as(issued.bodyAsString()).isEqualTo(200);
    String token = issued.bodyAsJsonObject().getString("token");
    try (WsClient first = stack.connect(stack.push.get(0), token, "");
        WsClient second = stack.connect(stack.push.get(1), token, "")) {
      for (WsClient ws : List.of(first, second)) {
        ws.hello();
        for (String channel : channels) {
          ws.send(new JsonObject().put("type", "subscribe").put("channel", channel));
          ws.awaitFrame("subscribed " + channel,
              f -> "subscribed".equals(f.getString("type")) && channel.equals(f.getString("channel")));
        }
      }
      for (String channel : channels) {
        HttpResponse<Buffer> published = stack.asBackend("/v1/channels/" + channel + "/messages",
            new JsonObject().put("body", new JsonObject().put("text", "on " + channel)));
        assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
      }
      for (WsClient ws : List.of(first, second)) {
        await().atMost(WsClient.WAIT).until(() -> ws.messages().stream()
            .filter(m -> channels.contains(m.getString("channel"))).count() == channels.size());
      }
    }
  }

  /** A new channel name whose slot {@code primary} serves. */
  private String channelOn(RedisProcess primary) {
    while (true) {
      String channel = "show:" + UUID.randomUUID().toString().substring(0, 8);
      if (stack.redis.primaryFor(RedisKeys.channelLive(channel)).equals(primary)) {
        return channel;
      }
    }
  }

  private static List<String> seqs(WsClient ws) {
    return ws.frames().stream().filter(f -> f.getString("seq") != null).map(f -> f.getString("seq")).toList();
  }
}
