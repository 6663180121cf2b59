package io.relay.ingest;

import static io.relay.ingest.IngestHarness.assertError;
import static io.relay.ingest.IngestHarness.await;
import static io.relay.ingest.IngestHarness.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /v1/rooms/{id}}: the owner or an API key removes the room's meta, membership and
 * history in one script; members' logs keep their copies; anyone else gets 403, an unknown room 404.
 */
class RoomDeleteIT {

  static TestRedis server;
  static IngestHarness relay;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    relay = IngestHarness.start(server, Map.of());
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theOwnerDeletesTheRoomWithItsMembershipAndHistoryAndMembersKeepTheirCopies() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String room = newUser("room");
    String aliceToken = relay.token(alice);
    createRoom(as(aliceToken, HttpMethod.POST, "/v1/rooms"), room, bob);
    for (int i = 0; i < 3; i++) {
      assertThat(relay.sendAs(aliceToken, new JsonObject().put("room", room).put("body", "m" + i)).statusCode())
          .isEqualTo(201);
    }
    long bobLog = relay.xlen(bob);

    HttpResponse<Buffer> deleted = await(as(aliceToken, HttpMethod.DELETE, "/v1/rooms/" + room).send());

    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(200);
    assertThat(deleted.bodyAsJsonObject()).isEqualTo(
        new JsonObject().put("room", room).put("deleted", true).put("members", 2));
    for (String key : new String[] {RedisKeys.roomMeta(room), RedisKeys.roomMembers(room),
        RedisKeys.roomHistory(room), RedisKeys.roomIds(room)}) {
      assertThat(relay.exists(key)).as(key).isFalse();
    }
    assertThat(relay.xlen(bob)).as("bob's log keeps the room's messages").isEqualTo(bobLog);
    assertError(relay.getAs(aliceToken, "/v1/rooms/" + room), 404, "not_found");
    assertError(relay.getAs(aliceToken, "/v1/rooms/" + room + "/messages"), 404, "not_found");
    assertError(relay.sendAs(aliceToken, new JsonObject().put("room", room).put("body", "after")), 404, "not_found");
    assertError(await(as(aliceToken, HttpMethod.DELETE, "/v1/rooms/" + room).send()), 404, "not_found");

    // The id is free again, and the new room starts empty.
    createRoom(as(relay.token(bob), HttpMethod.POST, "/v1/rooms"), room);
    JsonObject history = relay.getAs(relay.token(bob), "/v1/rooms/" + room + "/messages").bodyAsJsonObject();
    assertThat(history.getJsonArray("messages")).isEmpty();
  }

  @Test
  void onlyTheOwnerOrAnApiKeyMayDeleteARoom() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String room = newUser("room");
    createRoom(as(relay.token(alice), HttpMethod.POST, "/v1/rooms"), room, bob);

    assertError(await(as(relay.token(bob), HttpMethod.DELETE, "/v1/rooms/" + room).send()), 403, "forbidden");
    assertError(await(as(relay.token(newUser("eve")), HttpMethod.DELETE, "/v1/rooms/" + room).send()),
        403, "forbidden");
    assertError(await(relay.request(HttpMethod.DELETE, "/v1/rooms/" + room).send()), 401, "unauthorized");
    assertThat(relay.exists(RedisKeys.roomMeta(room))).isTrue();
    assertThat(relay.exists(RedisKeys.roomMembers(room))).isTrue();

    HttpResponse<Buffer> byBackend = await(relay.request(HttpMethod.DELETE, "/v1/rooms/" + room)
        .putHeader("X-Api-Key", IngestHarness.API_KEY).send());
    assertThat(byBackend.statusCode()).as(byBackend.bodyAsString()).isEqualTo(200);
    assertThat(relay.exists(RedisKeys.roomMeta(room))).isFalse();
  }

  @Test
  void aRoomCreatedByABackendIsDeletedOnlyByABackend() {
    String bob = newUser("bob");
    String room = newUser("room");
    createRoom(relay.request(HttpMethod.POST, "/v1/rooms").putHeader("X-Api-Key", IngestHarness.API_KEY), room, bob);
    assertError(await(as(relay.token(bob), HttpMethod.DELETE, "/v1/rooms/" + room).send()), 403, "forbidden");
    assertThat(await(relay.request(HttpMethod.DELETE, "/v1/rooms/" + room)
        .putHeader("X-Api-Key", IngestHarness.API_KEY).send()).statusCode()).isEqualTo(200);
  }

  @Test
  void unknownOrInvalidRoomIds() {
    String token = relay.token(newUser("alice"));
    assertError(await(as(token, HttpMethod.DELETE, "/v1/rooms/" + newUser("nothing")).send()), 404, "not_found");
    assertError(await(as(token, HttpMethod.DELETE, "/v1/rooms/bad%20id").send()), 400, "invalid_field");
  }

  private static HttpRequest<Buffer> as(String token, HttpMethod method, String path) {
    return relay.request(method, path).putHeader("Authorization", "Bearer " + token);
  }

  private static void createRoom(HttpRequest<Buffer> request, String room, String... members) {
    HttpResponse<Buffer> created = await(request.sendJsonObject(
        new JsonObject().put("id", room).put("members", new JsonArray(java.util.List.of((Object[]) members)))));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }
}
