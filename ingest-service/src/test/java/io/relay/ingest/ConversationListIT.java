package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.relay.model.RedisKeys;
import io.relay.service.RedisGateway;
import io.relay.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where {@code conversations-page.lua} finds a conversation's last message, against a real Redis
 * holding logs as the storing scripts write them: in the log at the conversation's score, also when
 * the sequence was capped, and in the conversation's hash once retention removed it.
 */
class ConversationListIT {

  static TestRedis server;
  static Vertx vertx;
  static Redis redis;
  static ConversationList list;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, server.url());
    list = new ConversationList(new RedisGateway(redis, 5000, new SimpleMeterRegistry().counter("errors")));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      await(vertx.close());
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theLastMessageIsReadFromTheLogAtTheConversationsScoreWithItsEditState() {
    String uid = newUser();
    store(uid, "5000-0", "M1", "bob", "u:bob", "first");
    store(uid, "5000-1", "M2", "bob", "u:bob", "second");
    send(Command.ZADD, RedisKeys.conversations(uid), "5000001", "u:bob");
    send(Command.HSET, RedisKeys.edits(uid), "M2", "e\"fixed\"");

    JsonObject last = only(uid).getJsonObject("last");
    assertThat(last.getString("id")).isEqualTo("M2");
    assertThat(last.getString("body")).isEqualTo("fixed");
    assertThat(last.getBoolean("edited")).isTrue();
  }

  @Test
  void aCappedSequenceFindsTheNewestMessageOfTheConversationInThatMillisecond() {
    String uid = newUser();
    store(uid, "7000-1200", "M1", "bob", "u:bob", "bob's");
    store(uid, "7000-1300", "M2", "carol", "u:carol", "carol's, newer");
    send(Command.ZADD, RedisKeys.conversations(uid), "7000999", "u:bob");

    assertThat(only(uid).getJsonObject("last").getString("body")).isEqualTo("bob's");
  }

  @Test
  void aLastMessageNoLongerInTheLogComesFromTheConversationsCopy() {
    String uid = newUser();
    send(Command.ZADD, RedisKeys.conversations(uid), "9000000", "u:bob");
    send(Command.HSET, RedisKeys.conversation(uid, "u:bob"), "last", message("M1", "bob", "kept"), "lastId", "M1",
        "ls", "r");

    JsonObject last = only(uid).getJsonObject("last");
    assertThat(last.getString("id")).isEqualTo("M1");
    assertThat(last.getBoolean("recalled")).isTrue();
    assertThat(last.containsKey("body")).isFalse();
  }

  @Test
  void aCopyFromBeforeLosesToTheMessageInTheLog() {
    String uid = newUser();
    send(Command.HSET, RedisKeys.conversation(uid, "u:bob"), "last", message("M0", "bob", "older copy"), "lastId",
        "M0", "ls", "", "read", "M0");
    store(uid, "8000-0", "M1", "bob", "u:bob", "in the log");
    send(Command.ZADD, RedisKeys.conversations(uid), "8000000", "u:bob");

    JsonObject conversation = only(uid);
    assertThat(conversation.getJsonObject("last").getString("body")).isEqualTo("in the log");
    assertThat(conversation.getString("readUpTo")).isEqualTo("M0");
  }

  private static JsonObject only(String uid) {
    JsonArray conversations = await(list.page(uid, null, 10)).getJsonArray("conversations");
    assertThat(conversations).hasSize(1);
    return conversations.getJsonObject(0);
  }

  /** A message entry and its index value, as store_log writes them. */
  private static void store(String uid, String seq, String id, String from, String conversation, String text) {
    send(Command.XADD, RedisKeys.log(uid), seq, "m", message(id, from, text), "i", id);
    send(Command.HSET, RedisKeys.messageIds(uid), id, from + " " + seq + " " + conversation);
  }

  private static String message(String id, String from, String text) {
    return new JsonObject().put("type", "message").put("id", id).put("from", from).put("body", text).encode();
  }

  private static void send(Command command, String... args) {
    Request request = Request.cmd(command);
    for (String arg : args) {
      request.arg(arg);
    }
    await(redis.send(request));
  }

  private static String newUser() {
    return "u" + UUID.randomUUID();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(15, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 15 s", e);
    }
  }
}
