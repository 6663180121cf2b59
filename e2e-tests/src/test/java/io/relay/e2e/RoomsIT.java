package io.relay.e2e;

import static io.relay.e2e.RelayHttp.assertError;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rooms (docs/rooms-presence.md) and room messages (docs/protocol.md#sending-post-v1messages) end to end: real Redis, HTTP, WebSockets, two push nodes. */
class RoomsIT {

  static final int MAX_ROOM = 4;

  static TestRedis redis;
  static RelayStack relay;
  static PushNode secondNode;
  static RelayHttp api;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of("RELAY_MAX_ROOM", Integer.toString(MAX_ROOM)));
    secondNode = relay.addPushNode();
    api = new RelayHttp(relay);
  }

  @AfterAll
  static void stop() {
    relay.close();
    redis.close();
  }

  private static String newRoom() {
    return RelayStack.newUser("room");
  }

  private static Predicate<JsonObject> memberEvent(String room, String uid, String action) {
    return f -> "member".equals(f.getString("type")) && room.equals(f.getString("room"))
        && uid.equals(f.getString("uid")) && action.equals(f.getString("action"));
  }

  @Test
  void aCreatingUserIsOwnerAndMemberAndMembersCanReadTheRoom() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String room = newRoom();
    JsonObject created = api.createRoom(As.user(relay.token(alice)), room, bob);
    assertThat(created.getString("id")).isEqualTo(room);
    assertThat(created.getString("owner")).isEqualTo(alice);
    assertThat(created.getJsonArray("members").getList()).containsExactly(alice, bob);
    assertThat(created.getLong("created")).isPositive();

    HttpResponse<Buffer> byBob = api.get("/v1/rooms/" + room, As.user(relay.token(bob)));
    assertThat(byBob.statusCode()).isEqualTo(200);
    assertThat(byBob.bodyAsJsonObject()).isEqualTo(created);
    assertThat(api.get("/v1/rooms/" + room, As.backend()).bodyAsJsonObject()).isEqualTo(created);
    assertError(api.get("/v1/rooms/" + room, As.user(relay.token(RelayStack.newUser("carol")))), 403, "not_member");
  }

  @Test
  void aBackendCreatesARoomWithoutOwnerThatOnlyBackendsManage() {
    String alice = RelayStack.newUser("alice");
    String room = newRoom();
    JsonObject created = api.createRoom(As.backend(), room, alice);
    assertThat(created.getValue("owner")).isNull();
    assertThat(created.getJsonArray("members").getList()).containsExactly(alice);

    assertError(api.addMember(As.user(relay.token(alice)), room, RelayStack.newUser("carol")), 403, "forbidden");
    HttpResponse<Buffer> added = api.addMember(As.backend(), room, RelayStack.newUser("carol"));
    assertThat(added.statusCode()).isEqualTo(200);
    assertThat(added.bodyAsJsonObject().getBoolean("changed")).isTrue();
  }

  @Test
  void createRefusesBadInputWithItsErrors() {
    String token = relay.token(RelayStack.newUser("alice"));
    String room = newRoom();
    assertError(api.post("/v1/rooms", As.user(token), new JsonObject().put("id", "bad room")), 400, "invalid_field");
    assertError(api.post("/v1/rooms", As.user(token), new JsonObject()), 400, "invalid_field");
    assertError(api.post("/v1/rooms", As.user(token), new JsonObject().put("id", room).put("members", "bob")),
        400, "invalid_field");
    assertError(api.post("/v1/rooms", As.user(token),
        new JsonObject().put("id", room).put("members", new JsonArray().add("ok").add("no/slash"))), 400, "invalid_field");
    assertError(api.call(HttpMethod.POST, "/v1/rooms", As.user(token), Buffer.buffer("{nope")), 400, "invalid_json");
    assertError(api.post("/v1/rooms", As.nobody(), new JsonObject().put("id", room)), 401, "unauthorized");
    assertError(api.post("/v1/rooms", new As(null, "wrong-key"), new JsonObject().put("id", room)), 401, "unauthorized");
    assertError(api.post("/v1/rooms", As.user(token), new JsonObject().put("id", room)
        .put("members", new JsonArray(List.of("m1", "m2", "m3", "m4")))), 409, "room_full");
    assertError(api.post("/v1/rooms", As.user(token), new JsonObject().put("id", room)
        .put("padding", "x".repeat(600 * 1024))), 413, "payload_too_large");
    assertThat(api.get("/v1/rooms/" + room, As.backend()).statusCode()).as("nothing half-created").isEqualTo(404);

    api.createRoom(As.user(token), room);
    assertError(api.post("/v1/rooms", As.backend(), new JsonObject().put("id", room)), 409, "room_exists");
  }

  @Test
  void readingAndManagingAnUnknownOrBadlyNamedRoomFails() {
    String token = relay.token(RelayStack.newUser("alice"));
    String missing = newRoom();
    assertError(api.get("/v1/rooms/" + missing, As.user(token)), 404, "not_found");
    assertError(api.addMember(As.backend(), missing, "bob"), 404, "not_found");
    assertError(api.removeMember(As.backend(), missing, "bob"), 404, "not_found");
    assertError(api.get("/v1/rooms/" + missing + "/messages", As.backend()), 404, "not_found");
    assertError(api.get("/v1/rooms/bad%20id", As.user(token)), 400, "invalid_field");
    assertError(api.addMember(As.backend(), "bad%20id", "bob"), 400, "invalid_field");
    assertError(api.addMember(As.backend(), missing, "b%21b"), 400, "invalid_field");
    assertError(api.get("/v1/rooms/" + missing, As.nobody()), 401, "unauthorized");
    assertError(api.addMember(As.nobody(), missing, "bob"), 401, "unauthorized");
  }

  @Test
  void onlyTheOwnerOrABackendAddsOrRemovesAndAnyMemberMayLeave() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String room = newRoom();
    As owner = As.user(relay.token(alice));
    As member = As.user(relay.token(bob));
    api.createRoom(owner, room, bob);

    assertError(api.addMember(member, room, RelayStack.newUser("dave")), 403, "forbidden");
    assertError(api.removeMember(member, room, alice), 403, "forbidden");
    HttpResponse<Buffer> again = api.addMember(owner, room, bob);
    assertThat(again.bodyAsJsonObject()).isEqualTo(new JsonObject().put("room", room).put("uid", bob)
        .put("member", true).put("changed", false));
    HttpResponse<Buffer> left = api.removeMember(member, room, bob);
    assertThat(left.statusCode()).isEqualTo(200);
    assertThat(left.bodyAsJsonObject().getBoolean("changed")).isTrue();
    assertThat(api.removeMember(owner, room, bob).bodyAsJsonObject().getBoolean("changed")).isFalse();
    assertThat(api.get("/v1/rooms/" + room, owner).bodyAsJsonObject().getJsonArray("members").getList())
        .containsExactly(alice);
  }

  @Test
  void aFullRoomRefusesAnotherMember() {
    String room = newRoom();
    As owner = As.user(relay.token(RelayStack.newUser("alice")));
    api.createRoom(owner, room, "m1-" + room, "m2-" + room, "m3-" + room);
    assertError(api.addMember(owner, room, "m4-" + room), 409, "room_full");
    assertError(api.addMember(As.backend(), room, "m4-" + room), 409, "room_full");
    assertThat(api.get("/v1/rooms/" + room, owner).bodyAsJsonObject().getJsonArray("members")).hasSize(MAX_ROOM);
  }

  @Test
  void aRoomMessageReachesEveryMembersDevicesOnBothNodesAndEveryLog() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String carol = RelayStack.newUser("carol");
    String room = newRoom();
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    String carolToken = relay.token(carol);
    api.createRoom(As.user(aliceToken), room, bob, carol);
    try (WsClient aliceWs = relay.connect(aliceToken);
        WsClient bobWs = relay.connect(secondNode, bobToken, "");
        WsClient carolPhone = relay.connect(carolToken);
        WsClient carolLaptop = relay.connect(secondNode, carolToken, "&device=laptop")) {
      List.of(aliceWs, bobWs, carolPhone, carolLaptop).forEach(WsClient::hello);
      String id = api.postToRoom(As.user(aliceToken), room, "hello all");

      for (WsClient ws : List.of(aliceWs, bobWs, carolPhone, carolLaptop)) {
        JsonObject message = ws.awaitMessages(1).get(0);
        assertThat(message.getString("id")).isEqualTo(id);
        assertThat(message.getString("room")).isEqualTo(room);
        assertThat(message.getString("from")).isEqualTo(alice);
        assertThat(message.getValue("to")).isNull();
        assertThat(message.getString("seq")).matches("\\d+-\\d+");
        assertThat(message.getJsonObject("body").getString("text")).isEqualTo("hello all");
      }
    }
    for (String token : List.of(aliceToken, bobToken, carolToken)) {
      assertThat(api.log(token).stream().map(JsonObject.class::cast).filter(e -> "message".equals(e.getString("type"))))
          .extracting(e -> e.getString("room")).containsExactly(room);
    }
  }

  @Test
  void postingToARoomNeedsMembershipAndAnExistingRoom() {
    String alice = RelayStack.newUser("alice");
    String room = newRoom();
    api.createRoom(As.user(relay.token(alice)), room);
    As stranger = As.user(relay.token(RelayStack.newUser("mallory")));
    JsonObject body = new JsonObject().put("room", room).put("body", "hi");
    assertError(api.post("/v1/messages", stranger, body), 403, "not_member");
    assertError(api.post("/v1/messages", stranger, body.copy().put("room", newRoom())), 404, "not_found");
    assertError(api.post("/v1/messages", stranger, body.copy().put("room", "no room")), 400, "invalid_field");
    assertError(api.post("/v1/messages", stranger, body.copy().put("to", alice)), 400, "invalid_field");
    assertThat(api.post("/v1/messages", As.backend(), body.copy().put("from", "bot")).statusCode())
        .as("a backend posts to any room").isEqualTo(201);
    assertThat(api.log(relay.token(alice))).extracting(e -> ((JsonObject) e).getString("from"))
        .containsExactly(null, "bot");
  }

  @Test
  void aRepeatedClientMsgIdInARoomStoresNothingNew() {
    String alice = RelayStack.newUser("alice");
    String room = newRoom();
    As as = As.user(relay.token(alice));
    api.createRoom(as, room);
    JsonObject body = new JsonObject().put("room", room).put("body", "once").put("clientMsgId", "c-1");
    HttpResponse<Buffer> first = api.post("/v1/messages", as, body);
    HttpResponse<Buffer> second = api.post("/v1/messages", as, body);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("id", first.bodyAsJsonObject().getString("id")).put("duplicate", true));
    assertThat(api.get("/v1/rooms/" + room + "/messages", as).bodyAsJsonObject().getJsonArray("messages")).hasSize(1);
  }

  @Test
  void aRemovedMemberStopsReceivingAtOnce() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String room = newRoom();
    String aliceToken = relay.token(alice);
    String bobToken = relay.token(bob);
    api.createRoom(As.user(aliceToken), room, bob);
    try (WsClient bobWs = relay.connect(secondNode, bobToken, ""); WsClient aliceWs = relay.connect(aliceToken)) {
      bobWs.hello();
      aliceWs.hello();
      api.postToRoom(As.user(aliceToken), room, "before");
      bobWs.awaitMessages(1);

      assertThat(api.removeMember(As.user(aliceToken), room, bob).statusCode()).isEqualTo(200);
      String after = api.postToRoom(As.user(aliceToken), room, "after");
      assertError(api.post("/v1/messages", As.user(bobToken), new JsonObject().put("room", room).put("body", "x")),
          403, "not_member");
      String marker = relay.sendText(aliceToken, bob, "direct, sent after the room message");

      bobWs.awaitFrame("marker", f -> marker.equals(f.getString("id")));
      assertThat(bobWs.frames()).noneMatch(f -> after.equals(f.getString("id")));
      assertThat(api.log(bobToken)).noneMatch(e -> after.equals(((JsonObject) e).getString("id")));
      aliceWs.awaitFrame("after", f -> after.equals(f.getString("id")));
      assertError(api.get("/v1/rooms/" + room + "/messages", As.user(bobToken)), 403, "not_member");
    }
  }

  @Test
  void memberChangesReachEveryAffectedMembersDevices() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String carol = RelayStack.newUser("carol");
    String room = newRoom();
    String aliceToken = relay.token(alice);
    String carolToken = relay.token(carol);
    api.createRoom(As.user(aliceToken), room, bob);
    try (WsClient alicePhone = relay.connect(aliceToken);
        WsClient aliceLaptop = relay.connect(secondNode, aliceToken, "&device=laptop");
        WsClient bobWs = relay.connect(relay.token(bob));
        WsClient carolWs = relay.connect(secondNode, carolToken, "")) {
      List<WsClient> all = List.of(alicePhone, aliceLaptop, bobWs, carolWs);
      all.forEach(WsClient::hello);

      api.addMember(As.user(aliceToken), room, carol);
      for (WsClient ws : all) {
        JsonObject event = ws.awaitFrame("carol added", memberEvent(room, carol, "added"));
        assertThat(event.getString("by")).isEqualTo(alice);
        assertThat(event.getString("seq")).matches("\\d+-\\d+");
        assertThat(event.getString("id")).isNotBlank();
        assertThat(event.getLong("ts")).isPositive();
      }

      api.removeMember(As.user(carolToken), room, carol);
      for (WsClient ws : all) {
        assertThat(ws.awaitFrame("carol left", memberEvent(room, carol, "removed")).getString("by")).isEqualTo(carol);
      }
    }
    assertThat(api.log(relay.token(bob))).extracting(e -> ((JsonObject) e).getString("type"))
        .containsExactly("member", "member", "member");
  }

  @Test
  void initialMembersLearnTheyWereAdded() {
    String alice = RelayStack.newUser("alice");
    String bob = RelayStack.newUser("bob");
    String room = newRoom();
    api.createRoom(As.user(relay.token(alice)), room, bob);
    JsonArray bobLog = api.log(relay.token(bob));
    assertThat(bobLog).hasSize(1);
    JsonObject event = bobLog.getJsonObject(0);
    assertThat(event.getString("type")).isEqualTo("member");
    assertThat(event.getString("room")).isEqualTo(room);
    assertThat(event.getString("uid")).isEqualTo(bob);
    assertThat(event.getString("action")).isEqualTo("added");
    assertThat(event.getString("by")).isEqualTo(alice);
  }

  @Test
  void historyPagesBackwardsFromTheNewestForMembersAndBackends() {
    String alice = RelayStack.newUser("alice");
    String room = newRoom();
    As as = As.user(relay.token(alice));
    api.createRoom(as, room);
    List<String> ids = List.of(api.postToRoom(as, room, "1"), api.postToRoom(as, room, "2"),
        api.postToRoom(as, room, "3"), api.postToRoom(as, room, "4"), api.postToRoom(as, room, "5"));

    JsonObject newest = api.get("/v1/rooms/" + room + "/messages?limit=2", as).bodyAsJsonObject();
    assertThat(idsOf(newest)).containsExactly(ids.get(3), ids.get(4));
    assertThat(newest.getString("next")).isEqualTo(ids.get(3));
    JsonObject older = api.get("/v1/rooms/" + room + "/messages?limit=2&before=" + newest.getString("next"), as)
        .bodyAsJsonObject();
    assertThat(idsOf(older)).containsExactly(ids.get(1), ids.get(2));
    JsonObject oldest = api.get("/v1/rooms/" + room + "/messages?limit=2&before=" + older.getString("next"), as)
        .bodyAsJsonObject();
    assertThat(idsOf(oldest)).containsExactly(ids.get(0));
    assertThat(oldest.getValue("next")).isNull();

    JsonObject all = api.get("/v1/rooms/" + room + "/messages", As.backend()).bodyAsJsonObject();
    assertThat(idsOf(all)).containsExactlyElementsOf(ids);
    JsonObject first = all.getJsonArray("messages").getJsonObject(0);
    assertThat(first.getString("type")).isEqualTo("message");
    assertThat(first.getString("room")).isEqualTo(room);
    assertThat(first.getString("from")).isEqualTo(alice);
    assertThat(first.getJsonObject("body").getString("text")).isEqualTo("1");
  }

  @Test
  void historyRefusesBadParametersAndStrangers() {
    String room = newRoom();
    As as = As.user(relay.token(RelayStack.newUser("alice")));
    api.createRoom(as, room);
    String path = "/v1/rooms/" + room + "/messages";
    assertError(api.get(path + "?limit=0", as), 400, "invalid_field");
    assertError(api.get(path + "?limit=-5", as), 400, "invalid_field");
    assertError(api.get(path + "?limit=ten", as), 400, "invalid_field");
    assertError(api.get(path + "?before=not-an-id", as), 400, "invalid_field");
    assertError(api.get(path + "?before=01ARZ3NDEKTSV4RRFFQ69G5FAV", as), 400, "invalid_field");
    assertError(api.get(path, As.user(relay.token(RelayStack.newUser("mallory")))), 403, "not_member");
    assertError(api.get(path, As.nobody()), 401, "unauthorized");
    assertError(api.get("/v1/rooms/bad%20room/messages", as), 400, "invalid_field");
  }

  private static List<String> idsOf(JsonObject page) {
    return page.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("id")).toList();
  }
}
