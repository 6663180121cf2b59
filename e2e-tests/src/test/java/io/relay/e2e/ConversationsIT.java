package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.e2e.RelayHttp.As;
import io.relay.push.PushNode;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conversations, unread counts, read markers, edits, recalls and typing (docs/conversations.md),
 * against real Redis, over real HTTP and WebSockets, with two push nodes and several devices.
 */
class ConversationsIT {

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

  static JsonObject conversations(String token, String query) {
    return conversations(api, token, query);
  }

  static JsonObject conversations(RelayHttp http, String token, String query) {
    HttpResponse<Buffer> response = http.get("/v1/conversations" + query, As.user(token));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  static JsonObject conversation(String token, String id) {
    return conversations(token, "?limit=100").getJsonArray("conversations").stream().map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id"))).findFirst().orElseThrow();
  }

  static long unread(String token, String id) {
    return conversation(token, id).getLong("unread");
  }

  static HttpResponse<Buffer> markRead(String token, String id, String upTo) {
    return api.post("/v1/conversations/" + id + "/read", As.user(token), new JsonObject().put("upTo", upTo));
  }

  static HttpResponse<Buffer> edit(As as, String id, Object body) {
    return api.call(HttpMethod.PATCH, "/v1/messages/" + id, as, new JsonObject().put("body", body));
  }

  static HttpResponse<Buffer> recall(As as, String id) {
    return api.call(HttpMethod.DELETE, "/v1/messages/" + id, as, null);
  }

  static Predicate<JsonObject> ofType(String type) {
    return f -> type.equals(f.getString("type"));
  }

  static JsonObject inLog(String token, String id) {
    return api.log(token).stream().map(JsonObject.class::cast)
        .filter(e -> "message".equals(e.getString("type")) && id.equals(e.getString("id"))).findFirst().orElseThrow();
  }

  @Test
  void conversationsComeMostRecentFirstInPages() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String carol = RelayStack.newUser("carol");
    String room = RelayStack.newUser("room");
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    relay.sendText(bobToken, alice, "from bob");
    relay.sendText(relay.token(carol), alice, "from carol");
    api.createRoom(As.user(bobToken), room, alice);
    String roomMessage = api.postToRoom(As.user(bobToken), room, "in the room");
    String lastToBob = relay.sendText(aliceToken, bob, "to bob, last");

    JsonObject first = conversations(aliceToken, "?limit=2");
    assertThat(first.getJsonArray("conversations")).extracting(c -> ((JsonObject) c).getString("id"))
        .containsExactly("u:" + bob, "r:" + room);
    JsonObject withBob = first.getJsonArray("conversations").getJsonObject(0);
    assertThat(withBob.fieldNames()).containsExactlyInAnyOrder("id", "peer", "room", "last", "unread", "readUpTo");
    assertThat(withBob.getString("peer")).isEqualTo(bob);
    assertThat(withBob.getValue("room")).isNull();
    assertThat(withBob.getJsonObject("last").getString("id")).isEqualTo(lastToBob);
    assertThat(withBob.getJsonObject("last").getString("type")).isEqualTo("message");
    assertThat(withBob.getLong("unread")).isEqualTo(1);
    assertThat(withBob.getValue("readUpTo")).isNull();
    JsonObject inRoom = first.getJsonArray("conversations").getJsonObject(1);
    assertThat(inRoom.getString("room")).isEqualTo(room);
    assertThat(inRoom.getValue("peer")).isNull();
    assertThat(inRoom.getJsonObject("last").getString("id")).isEqualTo(roomMessage);
    assertThat(first.getString("next")).isNotNull();

    JsonObject second = conversations(aliceToken, "?limit=2&before=" + first.getString("next"));
    assertThat(second.getJsonArray("conversations")).extracting(c -> ((JsonObject) c).getString("id"))
        .containsExactly("u:" + carol);
    assertThat(second.getValue("next")).isNull();

    RelayHttp.assertError(api.get("/v1/conversations?before=abc", As.user(aliceToken)), 400, "invalid_field");
    RelayHttp.assertError(api.get("/v1/conversations", As.backend()), 403, "forbidden");
    assertThat(conversations(relay.token(RelayStack.newUser("nobody")), "").getJsonArray("conversations")).isEmpty();
  }

  @Test
  void unreadCountsMessagesFromOthersThroughRepeatsEditsAndRecalls() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    JsonObject once = new JsonObject().put("to", alice).put("body", "one").put("clientMsgId", "c-1");
    String one = relay.send(bobToken, once).bodyAsJsonObject().getString("id");
    assertThat(relay.send(bobToken, once).statusCode()).isEqualTo(200);
    String two = relay.sendText(bobToken, alice, "two");
    String three = relay.sendText(bobToken, alice, "three");
    relay.sendText(aliceToken, bob, "my own reply does not count");
    assertThat(unread(aliceToken, "u:" + bob)).isEqualTo(3);
    assertThat(unread(bobToken, "u:" + alice)).isEqualTo(1);

    assertThat(edit(As.user(bobToken), two, "two, edited").statusCode()).isEqualTo(200);
    assertThat(unread(aliceToken, "u:" + bob)).isEqualTo(3);
    assertThat(recall(As.user(bobToken), three).statusCode()).isEqualTo(200);
    assertThat(unread(aliceToken, "u:" + bob)).isEqualTo(2);

    HttpResponse<Buffer> read = markRead(aliceToken, "u:" + bob, one);
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(new JsonObject().put("unread", 1));
    assertThat(conversation(aliceToken, "u:" + bob).getString("readUpTo")).isEqualTo(one);
    // only the edited one is left: the recalled one stopped counting when it was recalled
    assertThat(markRead(aliceToken, "u:" + bob, two).bodyAsJsonObject().getLong("unread")).isZero();
  }

  @Test
  void theReadMarkerMovesForwardOnlyAndReachesTheUsersOtherDevices() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    String first = relay.sendText(bobToken, alice, "1");
    String second = relay.sendText(bobToken, alice, "2");
    relay.sendText(bobToken, alice, "3");
    try (WsClient laptop = relay.connect(secondNode, aliceToken, "&device=laptop")) {
      laptop.awaitMessages(3);
      assertThat(markRead(aliceToken, "u:" + bob, second).bodyAsJsonObject().getLong("unread")).isEqualTo(1);
      JsonObject marker = laptop.awaitFrame("read_marker", ofType("read_marker"));
      assertThat(marker.fieldNames()).containsExactlyInAnyOrder("seq", "type", "conversation", "upTo");
      assertThat(marker.getString("conversation")).isEqualTo("u:" + bob);
      assertThat(marker.getString("upTo")).isEqualTo(second);

      assertThat(markRead(aliceToken, "u:" + bob, first).bodyAsJsonObject().getLong("unread")).isEqualTo(1);
      assertThat(conversation(aliceToken, "u:" + bob).getString("readUpTo")).isEqualTo(second);
    }
    assertThat(api.log(aliceToken).stream().map(JsonObject.class::cast).filter(ofType("read_marker"))).hasSize(1);

    RelayHttp.assertError(markRead(aliceToken, "u:" + RelayStack.newUser("stranger"), first), 404, "not_found");
    RelayHttp.assertError(markRead(aliceToken, "u:" + bob, "01ARZ3NDEKTSV4RRFFQ69G5FAV"), 404, "not_found");
    String toCarol = relay.sendText(relay.token(RelayStack.newUser("carol")), alice, "other conversation");
    RelayHttp.assertError(markRead(aliceToken, "u:" + bob, toCarol), 404, "not_found");
    RelayHttp.assertError(markRead(aliceToken, "x:" + bob, first), 400, "invalid_field");
    RelayHttp.assertError(markRead(aliceToken, "u:" + bob, "not-an-id"), 400, "invalid_field");
  }

  @Test
  void aReadFrameMovesTheMarkerToo() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    relay.sendText(bobToken, alice, "1");
    String second = relay.sendText(bobToken, alice, "2");
    relay.sendText(bobToken, alice, "3");
    try (WsClient phone = relay.connect(aliceToken); WsClient laptop = relay.connect(secondNode, aliceToken, "")) {
      phone.awaitMessages(3);
      laptop.awaitMessages(3);
      phone.send(new JsonObject().put("type", "read").put("id", second));
      assertThat(laptop.awaitFrame("read_marker", ofType("read_marker")).getString("upTo")).isEqualTo(second);
    }
    assertThat(unread(aliceToken, "u:" + bob)).isEqualTo(1);
    assertThat(conversation(aliceToken, "u:" + bob).getString("readUpTo")).isEqualTo(second);
  }

  @Test
  void roomUnreadFollowsMembership() {
    String owner = RelayStack.newUser("owner");
    String alice = RelayStack.newUser("alice");
    String room = RelayStack.newUser("room");
    String ownerToken = relay.token(owner);
    String aliceToken = relay.token(alice);
    api.createRoom(As.user(ownerToken), room, alice);
    api.postToRoom(As.user(ownerToken), room, "1");
    assertThat(unread(aliceToken, "r:" + room)).isEqualTo(1);
    assertThat(api.removeMember(As.user(ownerToken), room, alice).statusCode()).isEqualTo(200);
    api.postToRoom(As.user(ownerToken), room, "not for alice");
    assertThat(unread(aliceToken, "r:" + room)).isEqualTo(1);
    assertThat(api.addMember(As.user(ownerToken), room, alice).statusCode()).isEqualTo(200);
    String third = api.postToRoom(As.user(ownerToken), room, "3");
    assertThat(unread(aliceToken, "r:" + room)).isEqualTo(2);
    assertThat(conversation(aliceToken, "r:" + room).getJsonObject("last").getString("id")).isEqualTo(third);
    assertThat(markRead(aliceToken, "r:" + room, third).bodyAsJsonObject().getLong("unread")).isZero();
    assertThat(unread(ownerToken, "r:" + room)).isZero();
  }

  @Test
  void anEditAndARecallReachEveryLogAndDeviceAndHistoryShowsTheCurrentState() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    String id = relay.sendText(aliceToken, bob, "typo");
    try (WsClient alicePhone = relay.connect(aliceToken);
        WsClient aliceLaptop = relay.connect(secondNode, aliceToken, "&device=laptop");
        WsClient bobWs = relay.connect(secondNode, bobToken, "")) {
      for (WsClient ws : List.of(alicePhone, aliceLaptop, bobWs)) {
        ws.awaitMessages(1);
      }
      HttpResponse<Buffer> edited = edit(As.user(aliceToken), id, new JsonObject().put("text", "fixed"));
      assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);
      assertThat(edited.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", id).put("edited", true));
      for (WsClient ws : List.of(alicePhone, aliceLaptop, bobWs)) {
        JsonObject frame = ws.awaitFrame("edit", ofType("edit"));
        assertThat(frame.fieldNames()).containsExactlyInAnyOrder("seq", "type", "id", "body", "by", "ts");
        assertThat(frame.getString("id")).isEqualTo(id);
        assertThat(frame.getString("by")).isEqualTo(alice);
        assertThat(frame.getJsonObject("body")).isEqualTo(new JsonObject().put("text", "fixed"));
      }
      for (String token : List.of(aliceToken, bobToken)) {
        JsonObject message = inLog(token, id);
        assertThat(message.getJsonObject("body")).isEqualTo(new JsonObject().put("text", "fixed"));
        assertThat(message.getBoolean("edited")).isTrue();
      }
      assertThat(conversation(bobToken, "u:" + alice).getJsonObject("last").getJsonObject("body").getString("text"))
          .isEqualTo("fixed");

      assertThat(recall(As.user(aliceToken), id).bodyAsJsonObject())
          .isEqualTo(new JsonObject().put("id", id).put("recalled", true));
      for (WsClient ws : List.of(alicePhone, aliceLaptop, bobWs)) {
        JsonObject frame = ws.awaitFrame("recall", ofType("recall"));
        assertThat(frame.fieldNames()).containsExactlyInAnyOrder("seq", "type", "id", "by", "ts");
        assertThat(frame.getString("by")).isEqualTo(alice);
      }
    }
    for (String token : List.of(aliceToken, bobToken)) {
      JsonObject message = inLog(token, id);
      assertThat(message.containsKey("body")).isFalse();
      assertThat(message.getBoolean("recalled")).isTrue();
    }
    JsonObject last = conversation(bobToken, "u:" + alice).getJsonObject("last");
    assertThat(last.getBoolean("recalled")).isTrue();
    assertThat(last.containsKey("body")).isFalse();
    RelayHttp.assertError(edit(As.user(aliceToken), id, "again"), 404, "not_found");
    RelayHttp.assertError(recall(As.user(aliceToken), id), 404, "not_found");
  }

  @Test
  void aRoomMessageIsChangedInTheHistoryAndEveryMembersLogOnEveryNode() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String carol = RelayStack.newUser("carol");
    String room = RelayStack.newUser("room");
    String aliceToken = relay.token(alice);
    api.createRoom(As.user(aliceToken), room, bob, carol);
    String id = api.postToRoom(As.user(aliceToken), room, "hello all");
    try (WsClient bobWs = relay.connect(relay.token(bob)); WsClient carolWs = relay.connect(secondNode, relay.token(carol), "")) {
      bobWs.awaitMessages(1);
      carolWs.awaitMessages(1);
      assertThat(edit(As.user(aliceToken), id, "hello everyone").statusCode()).isEqualTo(200);
      assertThat(bobWs.awaitFrame("edit", ofType("edit")).getString("body")).isEqualTo("hello everyone");
      assertThat(carolWs.awaitFrame("edit", ofType("edit")).getString("body")).isEqualTo("hello everyone");
      JsonArray history = api.get("/v1/rooms/" + room + "/messages", As.user(relay.token(bob)))
          .bodyAsJsonObject().getJsonArray("messages");
      assertThat(history.getJsonObject(0).getString("body")).isEqualTo("hello everyone");

      assertThat(recall(As.backend(), id).statusCode()).isEqualTo(200);
      assertThat(carolWs.awaitFrame("recall", ofType("recall")).getValue("by")).isNull();
      bobWs.awaitFrame("recall", ofType("recall"));
    }
    JsonObject inHistory = api.get("/v1/rooms/" + room + "/messages", As.backend()).bodyAsJsonObject()
        .getJsonArray("messages").getJsonObject(0);
    assertThat(inHistory.getBoolean("recalled")).isTrue();
    assertThat(inHistory.containsKey("body")).isFalse();
    assertThat(inLog(relay.token(carol), id).getBoolean("recalled")).isTrue();
  }

  @Test
  void onlyTheSenderChangesAMessageAndBadIdsAreRefused() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(alice);
    String id = relay.sendText(aliceToken, bob, "mine");
    RelayHttp.assertError(edit(As.user(relay.token(bob)), id, "hijack"), 403, "forbidden");
    RelayHttp.assertError(recall(As.user(relay.token(bob)), id), 403, "forbidden");
    RelayHttp.assertError(edit(As.backend(), id, "backend"), 403, "forbidden");
    RelayHttp.assertError(edit(As.user(aliceToken), "01ARZ3NDEKTSV4RRFFQ69G5FAV", "x"), 404, "not_found");
    RelayHttp.assertError(recall(As.user(aliceToken), "01ARZ3NDEKTSV4RRFFQ69G5FAV"), 404, "not_found");
    RelayHttp.assertError(edit(As.user(aliceToken), "nope", "x"), 400, "invalid_field");
    RelayHttp.assertError(api.call(HttpMethod.PATCH, "/v1/messages/" + id, As.user(aliceToken), new JsonObject()),
        400, "invalid_field");
    RelayHttp.assertError(edit(As.user(aliceToken), id, "x".repeat(70_000)), 413, "payload_too_large");
    assertThat(inLog(aliceToken, id).getJsonObject("body").getString("text")).isEqualTo("mine");
    assertThat(api.log(relay.token(bob))).hasSize(1);
  }

  @Test
  void retentionTakesTrimmedMessagesOutOfTheUnreadCount() {
    try (RelayStack small = new RelayStack(redis, Map.of("RELAY_RETENTION_COUNT", "2", "RELAY_RETENTION_DAYS", "0"))) {
      String alice = RelayStack.newUser("alice");
      String bob = RelayStack.newUser("bob");
      String bobToken = small.token(bob);
      for (int i = 1; i <= 4; i++) {
        small.sendText(bobToken, alice, "m" + i);
      }
      JsonObject withBob = conversations(new RelayHttp(small), small.token(alice), "")
          .getJsonArray("conversations").getJsonObject(0);
      assertThat(withBob.getString("id")).isEqualTo("u:" + bob);
      assertThat(withBob.getLong("unread")).isEqualTo(2);
      assertThat(withBob.getJsonObject("last").getJsonObject("body").getString("text")).isEqualTo("m4");
    }
  }

  @Test
  void aConversationKeepsShowingItsLastMessageAfterRetentionRemovedIt() {
    try (RelayStack small = new RelayStack(redis, Map.of("RELAY_RETENTION_COUNT", "2", "RELAY_RETENTION_DAYS", "0"))) {
      RelayHttp http = new RelayHttp(small);
      String alice = RelayStack.newUser("alice");
      String bob = RelayStack.newUser("bob");
      String carol = RelayStack.newUser("carol");
      String room = RelayStack.newUser("room");
      String aliceToken = small.token(alice);
      String bobToken = small.token(bob);
      http.createRoom(As.user(bobToken), room, alice);
      String inRoom = http.postToRoom(As.user(bobToken), room, "room, last");
      String fromBob = small.sendText(bobToken, alice, "bob, last");
      assertThat(edit(http, As.user(bobToken), fromBob, new JsonObject().put("text", "bob, edited")).statusCode())
          .isEqualTo(200);
      // alice's log keeps 2 entries: these push the room message, bob's message and the edit out
      small.sendText(small.token(carol), alice, "carol 1");
      small.sendText(small.token(carol), alice, "carol 2");

      JsonArray page = conversations(http, aliceToken, "").getJsonArray("conversations");
      assertThat(page).extracting(c -> ((JsonObject) c).getString("id"))
          .containsExactly("u:" + carol, "u:" + bob, "r:" + room);
      JsonObject withBob = page.getJsonObject(1).getJsonObject("last");
      assertThat(withBob.getString("id")).isEqualTo(fromBob);
      assertThat(withBob.getJsonObject("body").getString("text")).isEqualTo("bob, edited");
      assertThat(withBob.getBoolean("edited")).isTrue();
      assertThat(page.getJsonObject(1).getLong("unread")).isZero();
      assertThat(page.getJsonObject(2).getJsonObject("last").getString("id")).isEqualTo(inRoom);
      assertThat(page.getJsonObject(2).getJsonObject("last").getJsonObject("body").getString("text"))
          .isEqualTo("room, last");
      assertThat(page.getJsonObject(0).getJsonObject("last").getJsonObject("body").getString("text"))
          .isEqualTo("carol 2");
    }
  }

  static HttpResponse<Buffer> edit(RelayHttp http, As as, String id, Object body) {
    return http.call(HttpMethod.PATCH, "/v1/messages/" + id, as, new JsonObject().put("body", body));
  }

  @Test
  void anEditAfterTheWindowIsRefused() {
    try (RelayStack strict = new RelayStack(redis, Map.of("RELAY_EDIT_WINDOW_SEC", "0"))) {
      String aliceToken = strict.token(RelayStack.newUser("alice"));
      String id = strict.sendText(aliceToken, RelayStack.newUser("bob"), "final");
      RelayHttp strictApi = new RelayHttp(strict);
      Awaitility.await().atMost(WsClient.WAIT).until(() ->
          edit(strictApi, As.user(aliceToken), id).statusCode() == 403);
      assertThat(strictApi.call(HttpMethod.DELETE, "/v1/messages/" + id, As.user(aliceToken), null).statusCode())
          .isEqualTo(200);
    }
  }

  private static HttpResponse<Buffer> edit(RelayHttp http, As as, String id) {
    return http.call(HttpMethod.PATCH, "/v1/messages/" + id, as, new JsonObject().put("body", "late"));
  }

  @Test
  void typingReachesTheRecipientsOnlineButNotTheSender() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String carol = RelayStack.newUser("carol");
    String room = RelayStack.newUser("room");
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    api.createRoom(As.user(aliceToken), room, bob, carol);
    try (WsClient alicePhone = relay.connect(aliceToken);
        WsClient aliceLaptop = relay.connect(secondNode, aliceToken, "&device=laptop");
        WsClient bobWs = relay.connect(secondNode, bobToken, "");
        WsClient carolWs = relay.connect(relay.token(carol));
        WsClient stranger = relay.connect(relay.token(RelayStack.newUser("dave")))) {
      for (WsClient ws : List.of(alicePhone, aliceLaptop, bobWs, carolWs, stranger)) {
        ws.hello();
      }
      alicePhone.send(new JsonObject().put("type", "typing").put("to", bob));
      JsonObject toBob = bobWs.awaitFrame("typing", ofType("typing"));
      assertThat(toBob).isEqualTo(new JsonObject().put("type", "typing").put("from", alice).put("to", bob));

      alicePhone.send(new JsonObject().put("type", "typing").put("room", room));
      Predicate<JsonObject> inRoom = f -> "typing".equals(f.getString("type")) && room.equals(f.getString("room"));
      assertThat(carolWs.awaitFrame("room typing", inRoom))
          .isEqualTo(new JsonObject().put("type", "typing").put("from", alice).put("room", room));
      bobWs.awaitFrame("room typing on the other node", inRoom);

      stranger.send(new JsonObject().put("type", "typing").put("room", room));
      assertThat(stranger.awaitFrame("not_member", ofType("error")).getString("code")).isEqualTo("not_member");
      stranger.send(new JsonObject().put("type", "typing").put("to", 5));
      Awaitility.await().atMost(WsClient.WAIT).until(() -> stranger.frames().stream()
          .anyMatch(f -> "bad_frame".equals(f.getString("code"))));

      // a message sent after the typing frames arrives after them, on the same channels
      relay.sendText(bobToken, alice, "done typing?");
      alicePhone.awaitMessages(1);
      aliceLaptop.awaitMessages(1);
      assertThat(alicePhone.frames()).noneMatch(ofType("typing"));
      assertThat(aliceLaptop.frames()).noneMatch(ofType("typing"));
      assertThat(carolWs.frames().stream().filter(ofType("typing"))).hasSize(1);
    }
    assertThat(api.log(bobToken).stream().map(JsonObject.class::cast).filter(ofType("typing"))).isEmpty();
  }
}
