package io.relay.ingest;

import static io.relay.ingest.IngestHarness.await;
import static io.relay.ingest.IngestHarness.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of posts to one room, all sent at once: they wait in ingest and go to Redis in batches
 * ({@code RoomStoreAdmission}), and each is still answered as if it were stored alone: every post
 * 201, a repeated clientMsgId 200 duplicate of the first, a non-member 403; every member's log,
 * the room's history and the unread counts hold each message once, all in one order (the order
 * the posts arrived in: concurrent requests have none of their own).
 */
class RoomBurstIT {

  private static final int POSTS = 30;

  static TestRedis server;
  static IngestHarness relay;
  /** A client that sends the whole burst at once (one connection per post): the posts wait together. */
  static WebClient burst;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    relay = IngestHarness.start(server, Map.of());
    burst = WebClient.create(relay.vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(POSTS + 5));
  }

  @AfterAll
  static void stop() {
    if (burst != null) {
      burst.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void postsSentTogetherAreEachAnsweredAndStoredOnceInOneOrder() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String carol = newUser("carol");
    String room = newUser("room");
    String aliceToken = relay.token(alice);
    HttpResponse<Buffer> created = await(relay.request(HttpMethod.POST, "/v1/rooms")
        .putHeader("Authorization", "Bearer " + aliceToken)
        .sendJsonObject(new JsonObject().put("id", room).put("members", new JsonArray().add(bob))));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);

    List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < POSTS; i++) {
      posts.add(post(aliceToken, new JsonObject().put("room", room).put("body", "m" + i).put("clientMsgId", "c" + i)));
    }
    Future<HttpResponse<Buffer>> repeat = post(aliceToken,
        new JsonObject().put("room", room).put("body", "m3").put("clientMsgId", "c3"));
    Future<HttpResponse<Buffer>> stranger = post(relay.token(carol), new JsonObject().put("room", room).put("body", "x"));
    Future<HttpResponse<Buffer>> fromBob = post(relay.token(bob), new JsonObject().put("room", room).put("body", "b"));

    List<String> ids = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> post : posts) {
      HttpResponse<Buffer> answer = await(post);
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(201);
      ids.add(answer.bodyAsJsonObject().getString("id"));
    }
    HttpResponse<Buffer> duplicate = await(repeat);
    assertThat(duplicate.statusCode()).as(duplicate.bodyAsString()).isEqualTo(200);
    assertThat(duplicate.bodyAsJsonObject().getString("id")).isEqualTo(ids.get(3));
    assertThat(await(stranger).statusCode()).isEqualTo(403);
    HttpResponse<Buffer> bobs = await(fromBob);
    assertThat(bobs.statusCode()).as(bobs.bodyAsString()).isEqualTo(201);
    String bobsId = bobs.bodyAsJsonObject().getString("id");

    List<String> history = relay.getAs(aliceToken, "/v1/rooms/" + room + "/messages?limit=100").bodyAsJsonObject()
        .getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("id")).toList();
    assertThat(history).hasSize(POSTS + 1).containsAll(ids).contains(bobsId);
    for (String member : List.of(alice, bob)) {
      List<String> log = relay.getAs(relay.token(member), "/v1/messages?limit=100").bodyAsJsonObject()
          .getJsonArray("messages").stream().map(m -> (JsonObject) m)
          .filter(m -> "message".equals(m.getString("type"))).map(m -> m.getString("id")).toList();
      assertThat(log).as(member + "'s log: the history's order").isEqualTo(history);
    }
    assertThat(unread(relay.token(bob), room)).as("bob: alice's posts").isEqualTo(POSTS);
    assertThat(unread(aliceToken, room)).as("alice: bob's one").isEqualTo(1);
    assertThat(relay.xlen(carol)).as("the stranger got nothing").isZero();
  }

  private static Future<HttpResponse<Buffer>> post(String token, JsonObject message) {
    return burst.request(HttpMethod.POST, relay.ingest.port(), "127.0.0.1", "/v1/messages")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json").sendBuffer(message.toBuffer());
  }

  private static int unread(String token, String room) {
    JsonArray conversations = relay.getAs(token, "/v1/conversations").bodyAsJsonObject().getJsonArray("conversations");
    return conversations.stream().map(c -> (JsonObject) c).filter(c -> ("r:" + room).equals(c.getString("id")))
        .findFirst().orElseThrow().getInteger("unread");
  }
}
