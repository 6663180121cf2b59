package io.relay.e2e;

import static io.relay.e2e.RelayHttp.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.e2e.RelayHttp.As;
import io.relay.model.RedisKeys;
import io.relay.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The message indexes (user {@code ids}, room {@code ids}) shrink with retention: a message that
 * retention removed can no longer be receipted or paged from.
 */
class RetentionIndexIT {

  static TestRedis redis;
  static RelayStack relay;
  static RelayHttp api;
  static RedisProbe probe;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of("RELAY_RETENTION_COUNT", "2", "RELAY_RETENTION_DAYS", "0"));
    api = new RelayHttp(relay);
    probe = new RedisProbe(relay.vertx, redis.url());
  }

  @AfterAll
  static void stop() {
    probe.close();
    relay.close();
    redis.close();
  }

  @Test
  void aTrimmedMessageLeavesTheReadersIndexAndCannotBeReceipted() {
    String bob = RelayStack.newUser("bob");
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    String oldest = relay.sendText(aliceToken, bob, "1");
    relay.sendText(aliceToken, bob, "2");
    relay.sendText(aliceToken, bob, "3");
    String newest = relay.sendText(aliceToken, bob, "4");
    assertThat(probe.send(Command.HLEN, RedisKeys.messageIds(bob)).toLong()).isEqualTo(2);
    assertThat(probe.send(Command.HEXISTS, RedisKeys.messageIds(bob), oldest).toInteger()).isZero();

    Predicate<JsonObject> notFound = f -> "error".equals(f.getString("type")) && "not_found".equals(f.getString("code"));
    try (WsClient ws = relay.connect(relay.token(bob))) {
      ws.awaitMessages(2);
      ws.send(new JsonObject().put("type", "read").put("id", oldest));
      ws.awaitFrame("not_found", notFound);
      ws.send(new JsonObject().put("type", "read").put("id", newest));
    }
  }

  @Test
  void roomHistoryKeepsWhatRetentionKeeps() {
    String room = RelayStack.newUser("room");
    As as = As.user(relay.token(RelayStack.newUser("alice")));
    api.createRoom(as, room);
    List<String> ids = List.of(api.postToRoom(as, room, "1"), api.postToRoom(as, room, "2"),
        api.postToRoom(as, room, "3"));
    JsonObject page = api.get("/v1/rooms/" + room + "/messages", as).bodyAsJsonObject();
    assertThat(page.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("id")))
        .containsExactly(ids.get(1), ids.get(2));
    assertThat(page.getValue("next")).isNull();
    assertThat(probe.send(Command.HLEN, RedisKeys.roomIds(room)).toLong()).isEqualTo(2);
    assertError(api.get("/v1/rooms/" + room + "/messages?before=" + ids.get(0), as), 400, "invalid_field");
  }
}
