package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.e2e.RelayHttp.As;
import io.relay.push.PushNode;
import io.relay.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Read receipts (docs/protocol.md#websocket): a recipient's {@code read} frame becomes a receipt in the sender's log. */
class ReceiptsIT {

  static TestRedis redis;
  static RelayStack relay;
  static PushNode secondNode;
  static RelayHttp api;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = RelayStack.start(redis);
    secondNode = relay.addPushNode();
    api = new RelayHttp(relay);
  }

  @AfterAll
  static void stop() {
    relay.close();
    redis.close();
  }

  private static Predicate<JsonObject> receipt(String id) {
    return f -> "receipt".equals(f.getString("type")) && id.equals(f.getString("id"));
  }

  private static Predicate<JsonObject> error(String code) {
    return f -> "error".equals(f.getString("type")) && code.equals(f.getString("code"));
  }

  private static JsonObject read(String id) {
    return new JsonObject().put("type", "read").put("id", id);
  }

  @Test
  void aReadReceiptReachesEveryDeviceOfTheSenderAndItsLog() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String id = relay.sendText(aliceToken, bob, "did you see this?");
    try (WsClient alicePhone = relay.connect(aliceToken);
        WsClient aliceLaptop = relay.connect(secondNode, aliceToken, "&device=laptop");
        WsClient bobWs = relay.connect(secondNode, relay.token(bob), "")) {
      alicePhone.hello();
      aliceLaptop.hello();
      bobWs.awaitMessages(1);
      bobWs.send(read(id));

      for (WsClient ws : List.of(alicePhone, aliceLaptop)) {
        JsonObject receipt = ws.awaitFrame("receipt", receipt(id));
        assertThat(receipt.fieldNames()).containsExactlyInAnyOrder("type", "seq", "id", "status", "by", "ts");
        assertThat(receipt.getString("status")).isEqualTo("read");
        assertThat(receipt.getString("by")).isEqualTo(bob);
        assertThat(receipt.getString("seq")).matches("\\d+-\\d+");
        assertThat(receipt.getLong("ts")).isPositive();
      }
      assertThat(bobWs.frames()).noneMatch(f -> "error".equals(f.getString("type")));
    }
    assertThat(api.log(aliceToken)).extracting(e -> ((JsonObject) e).getString("type"))
        .containsExactly("message", "receipt");
  }

  @Test
  void aRepeatedReceiptStoresNothingNew() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String id = relay.sendText(aliceToken, bob, "hi");
    String marker = relay.sendText(aliceToken, bob, "marker");
    try (WsClient aliceWs = relay.connect(aliceToken); WsClient bobWs = relay.connect(relay.token(bob))) {
      aliceWs.hello();
      bobWs.awaitMessages(2);
      bobWs.send(read(id));
      bobWs.send(read(id));
      bobWs.send(read(marker));
      aliceWs.awaitFrame("receipt of the marker", receipt(marker));
    }
    assertThat(api.log(aliceToken).stream().map(JsonObject.class::cast).filter(receipt(id))).hasSize(1);
  }

  @Test
  void aRoomMessageIsReceiptedToItsSender() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String room = RelayStack.newUser("room");
    String aliceToken = relay.token(alice);
    api.createRoom(As.user(aliceToken), room, bob);
    String id = api.postToRoom(As.user(aliceToken), room, "read me");
    try (WsClient aliceWs = relay.connect(aliceToken); WsClient bobWs = relay.connect(relay.token(bob))) {
      aliceWs.hello();
      bobWs.awaitMessages(1);
      bobWs.send(read(id));
      assertThat(aliceWs.awaitFrame("receipt", receipt(id)).getString("by")).isEqualTo(bob);
    }
  }

  @Test
  void aReceiptForAMessageTheReaderNeverReceivedIsRefused() {
    String alice = RelayStack.newUser("alice");
    String carol = RelayStack.newUser("carol");
    String aliceToken = relay.token(alice);
    String notBobs = relay.sendText(aliceToken, carol, "for carol only");
    try (WsClient aliceWs = relay.connect(aliceToken); WsClient bobWs = relay.connect(relay.token(RelayStack.newUser("bob")))) {
      aliceWs.hello();
      bobWs.hello();
      bobWs.send(read(notBobs));
      assertThat(bobWs.awaitFrame("not_found", error("not_found")).getString("message")).isNotBlank();
      bobWs.send(read("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
      bobWs.send(new JsonObject().put("type", "read"));
      bobWs.send(new JsonObject().put("type", "read").put("id", 42));
      bobWs.awaitFrame("bad_frame", error("bad_frame"));
      assertThat(bobWs.frames().stream().filter(f -> "error".equals(f.getString("type")))).hasSizeGreaterThanOrEqualTo(2);
      bobWs.send(new JsonObject().put("type", "ping"));
      bobWs.awaitFrame("pong: the connection stays", f -> "pong".equals(f.getString("type")));
    }
    assertThat(api.log(aliceToken)).extracting(e -> ((JsonObject) e).getString("type")).containsExactly("message");
  }

  @Test
  void readingYourOwnMessageIsRefused() {
    String alice = RelayStack.newUser("alice");
    String aliceToken = relay.token(alice);
    String own = relay.sendText(aliceToken, RelayStack.newUser("bob"), "mine");
    try (WsClient aliceWs = relay.connect(aliceToken)) {
      aliceWs.awaitMessages(1);
      aliceWs.send(read(own));
      aliceWs.awaitFrame("bad_frame", error("bad_frame"));
    }
    assertThat(api.log(aliceToken)).extracting(e -> ((JsonObject) e).getString("type")).containsExactly("message");
  }

  @Test
  void aBackendMessageWithoutSenderCannotBeReceipted() {
    String bob = RelayStack.newUser("bob");
    String id = relay.sendAsBackend(new JsonObject().put("to", bob).put("body", "system notice"))
        .bodyAsJsonObject().getString("id");
    try (WsClient bobWs = relay.connect(relay.token(bob))) {
      bobWs.awaitMessages(1);
      bobWs.send(read(id));
      bobWs.awaitFrame("bad_frame", error("bad_frame"));
    }
  }
}
