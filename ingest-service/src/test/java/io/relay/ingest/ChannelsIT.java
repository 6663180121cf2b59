package io.relay.ingest;

import static io.relay.ingest.IngestHarness.assertError;
import static io.relay.ingest.IngestHarness.channelPath;
import static io.relay.ingest.IngestHarness.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.ChannelEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Channels on the ingest side over real HTTP against a real Redis: who may publish and read,
 * every answer of a publish, the bounded history and its pages, and the one pub/sub message a
 * publish produces.
 */
class ChannelsIT {

  static final int MAX_BODY = 1024;
  static final int HISTORY = 5;

  static TestRedis server;
  static IngestHarness relay;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    relay = IngestHarness.start(server, Map.of("RELAY_MAX_BODY", Integer.toString(MAX_BODY),
        "RELAY_CHANNEL_HISTORY", Integer.toString(HISTORY)));
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

  // --- publish: rights -----------------------------------------------------------------------

  @Test
  void userWithTheExactPublishRightPublishesAndTheMessageIsStoredOnce() {
    String alice = newUser("alice");
    String channel = newChannel("chat");
    double storedBefore = relay.ingest.metrics().channelStored.count();

    HttpResponse<Buffer> response = relay.publishAs(publisher(alice, channel), channel, message("hi"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.fieldNames()).containsExactlyInAnyOrder("id", "offset", "ts");
    assertThat(Seq.isValid(answer.getString("offset"))).isTrue();
    List<Response> entries = history(channel);
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get(0).toString()).isEqualTo(answer.getString("offset"));
    assertThat(field(entries.get(0), "m")).isEqualTo("{\"type\":\"message\",\"channel\":\"" + channel + "\",\"id\":\""
        + answer.getString("id") + "\",\"from\":\"" + alice + "\",\"body\":{\"text\":\"hi\"},\"ts\":"
        + answer.getLong("ts") + "}");
    assertThat(field(entries.get(0), "i")).isEqualTo(answer.getString("id"));
    assertThat(relay.ingest.metrics().channelStored.count()).isEqualTo(storedBefore + 1);
  }

  @Test
  void aPrefixPublishRightCoversEveryChannelWithThePrefixAndNoOther() {
    String prefix = newChannel("show") + ":";
    String token = relay.tokenWithChannels(newUser("alice"), List.of(), List.of(prefix + "*"));

    assertThat(relay.publishAs(token, prefix + "42", message("sold")).statusCode()).isEqualTo(201);
    assertThat(relay.publishAs(token, prefix + "7", message("sold")).statusCode()).isEqualTo(201);
    String other = newChannel("chat");
    assertError(relay.publishAs(token, other, message("x")), 403, "forbidden");
    assertThat(relay.exists(RedisKeys.channelHistory(other))).isFalse();
  }

  @Test
  void userWithoutAPublishRightIsForbidden() {
    String channel = newChannel("chat");
    String noRights = relay.token(newUser("alice"));
    String readOnly = relay.tokenWithChannels(newUser("bob"), List.of(channel), List.of());
    String otherChannel = relay.tokenWithChannels(newUser("carol"), List.of(), List.of(channel + "x"));

    for (String token : List.of(noRights, readOnly, otherChannel)) {
      assertError(relay.publishAs(token, channel, message("x")), 403, "forbidden");
    }
    assertThat(relay.exists(RedisKeys.channelHistory(channel))).isFalse();
  }

  @Test
  void backendPublishesOnAnyChannelWithOrWithoutASender() {
    String channel = newChannel("show");

    HttpResponse<Buffer> named = relay.publishAsBackend(channel, message("a").put("from", "box-office"));
    HttpResponse<Buffer> anonymous = relay.publishAsBackend(channel, message("b"));

    assertThat(named.statusCode()).as(named.bodyAsString()).isEqualTo(201);
    assertThat(anonymous.statusCode()).as(anonymous.bodyAsString()).isEqualTo(201);
    List<Response> entries = history(channel);
    assertThat(new JsonObject(field(entries.get(0), "m")).getString("from")).isEqualTo("box-office");
    JsonObject second = new JsonObject(field(entries.get(1), "m"));
    assertThat(second.containsKey("from")).isTrue();
    assertThat(second.getValue("from")).isNull();
  }

  @Test
  void userPublishesOnlyAsItself() {
    String alice = newUser("alice");
    String channel = newChannel("chat");
    String token = publisher(alice, channel);

    assertThat(relay.publishAs(token, channel, message("me").put("from", alice)).statusCode()).isEqualTo(201);
    assertError(relay.publishAs(token, channel, message("x").put("from", "mallory")), 403, "forbidden");
    assertThat(history(channel)).hasSize(1);
  }

  @Test
  void publishWithoutCredentialsIsUnauthorized() {
    String channel = newChannel("chat");
    assertError(IngestHarness.await(relay.request(HttpMethod.POST, channelPath(channel))
        .sendBuffer(message("x").toBuffer())), 401, "unauthorized");
  }

  // --- publish: validation -------------------------------------------------------------------

  @Test
  void badChannelNameIsInvalidField() {
    for (String bad : List.of("show 42", "c".repeat(65), "a/b", "émoji")) {
      assertError(relay.publishAsBackend(bad, message("x")), 400, "invalid_field");
      assertError(relay.getAsBackend(channelPath(bad)), 400, "invalid_field");
    }
    assertThat(relay.publishAsBackend("c".repeat(64), message("x")).statusCode()).isEqualTo(201);
  }

  @Test
  void badBodiesGetTheSameErrorsAsSendingAndStoreNothing() {
    String channel = newChannel("chat");
    String token = publisher(newUser("alice"), channel);

    assertError(publishRaw(token, channel, "{\"body\": "), 400, "invalid_json");
    assertError(publishRaw(token, channel, "[1]"), 400, "invalid_json");
    assertError(publishRaw(token, channel, ""), 400, "invalid_json");
    assertError(relay.publishAs(token, channel, new JsonObject().put("clientMsgId", "c1")), 400, "invalid_field");
    assertError(relay.publishAs(token, channel, message("x").put("clientMsgId", "")), 400, "invalid_field");
    assertError(relay.publishAs(token, channel, message("x").put("clientMsgId", "c".repeat(65))), 400,
        "invalid_field");
    assertError(relay.publishAs(token, channel, message("x").put("clientMsgId", 5)), 400, "invalid_field");
    assertError(relay.publishAs(token, channel, message("x").put("transient", "yes")), 400, "invalid_field");
    assertError(relay.publishAs(token, channel, new JsonObject().put("body", "x".repeat(MAX_BODY))), 413,
        "payload_too_large");
    assertError(relay.publishAsBackend(channel, message("x").put("from", "shop 1")), 400, "invalid_field");
    assertThat(relay.exists(RedisKeys.channelHistory(channel))).isFalse();
    assertThat(relay.publishAs(token, channel, new JsonObject().put("body", "x".repeat(MAX_BODY - 2))).statusCode())
        .as("a body of exactly RELAY_MAX_BODY bytes serialized").isEqualTo(201);
  }

  // --- publish: idempotency and transient ----------------------------------------------------

  @Test
  void repeatedClientMsgIdFromTheSamePublisherAnswersDuplicateAndStoresNothingNew() {
    String channel = newChannel("chat");
    String aliceUid = newUser("alice");
    String alice = publisher(aliceUid, channel);
    String bob = publisher(newUser("bob"), channel);

    HttpResponse<Buffer> first = relay.publishAs(alice, channel, message("once").put("clientMsgId", "c-1"));
    HttpResponse<Buffer> again = relay.publishAs(alice, channel, message("twice").put("clientMsgId", "c-1"));
    HttpResponse<Buffer> otherUser = relay.publishAs(bob, channel, message("bob's").put("clientMsgId", "c-1"));
    HttpResponse<Buffer> backend = relay.publishAsBackend(channel, message("key's").put("clientMsgId", "c-1"));
    HttpResponse<Buffer> backendAgain = relay.publishAsBackend(channel, message("key's").put("clientMsgId", "c-1"));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(
        new JsonObject().put("id", first.bodyAsJsonObject().getString("id")).put("duplicate", true));
    assertThat(otherUser.statusCode()).as("another publisher's key").isEqualTo(201);
    assertThat(backend.statusCode()).isEqualTo(201);
    assertThat(backendAgain.statusCode()).isEqualTo(200);
    assertThat(history(channel)).hasSize(3);
    long ttl = relay.redis(Request.cmd(Command.TTL)
        .arg(RedisKeys.channelIdempotency(channel, "u:" + aliceUid, "c-1"))).toLong();
    assertThat(ttl).isBetween(24 * 3600L - 60, 24 * 3600L);
  }

  @Test
  void transientMessageIsPublishedWithoutAnOffsetAndNotStored() {
    String channel = newChannel("show");
    String token = publisher(newUser("alice"), channel);
    try (Subscriber live = Subscriber.on(channel)) {
      HttpResponse<Buffer> response = relay.publishAs(token, channel, message("look").put("transient", true));

      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
      assertThat(response.bodyAsString()).isEqualTo("{\"delivered\":null}");
      live.awaitFrames(1);
      String frame = live.frames.get(0);
      assertThat(frame).startsWith("{\"type\":\"message\",\"channel\":\"" + channel + "\"");
      assertThat(new JsonObject(frame).getBoolean("transient")).isTrue();
    }
    assertThat(relay.exists(RedisKeys.channelHistory(channel))).isFalse();
  }

  @Test
  void aStoredPublishIsExactlyOnePubSubMessageWithTheOffsetFirst() {
    String channel = newChannel("show");
    try (Subscriber live = Subscriber.on(channel)) {
      HttpResponse<Buffer> stored = relay.publishAsBackend(channel, message("seat 12 sold"));
      // A transient publish after it marks the end: pub/sub keeps order, so a second copy of the
      // stored message would arrive before it.
      relay.publishAsBackend(channel, message("end").put("transient", true));

      live.awaitFrames(2);
      String offset = stored.bodyAsJsonObject().getString("offset");
      Response entry = history(channel).get(0);
      assertThat(live.frames.get(0)).startsWith("{\"offset\":\"" + offset + "\",\"type\":\"message\",")
          .isEqualTo(new ChannelEntry(Seq.parse(offset), field(entry, "m")).frame());
      assertThat(live.frames.get(1)).startsWith("{\"type\":\"message\"");
      assertThat(live.frames).hasSize(2);
    }
  }

  // --- history -------------------------------------------------------------------------------

  @Test
  void historyIsBoundedAndASinceBeforeTheTrimmedEntriesIsNotRecovered() {
    String channel = newChannel("ticker");
    List<String> offsets = publishMany(channel, HISTORY + 2);

    assertThat(relay.redis(Request.cmd(Command.XLEN).arg(RedisKeys.channelHistory(channel))).toLong())
        .isEqualTo(HISTORY);
    assertThat(relay.redis(Request.cmd(Command.GET).arg(RedisKeys.channelTrimmed(channel))).toString())
        .isEqualTo(offsets.get(1));

    JsonObject fromStart = page(relay.getAsBackend(channelPath(channel)));
    assertThat(offsetsOf(fromStart)).isEqualTo(offsets.subList(2, HISTORY + 2));
    assertThat(fromStart.getBoolean("recovered")).as("the first two are gone").isFalse();
    assertThat(fromStart.getString("next")).isEqualTo(offsets.get(HISTORY + 1));

    JsonObject beforeTrim = page(relay.getAsBackend(channelPath(channel) + "?since=" + offsets.get(0)));
    assertThat(offsetsOf(beforeTrim)).isEqualTo(offsets.subList(2, HISTORY + 2));
    assertThat(beforeTrim.getBoolean("recovered")).isFalse();

    JsonObject atTrim = page(relay.getAsBackend(channelPath(channel) + "?since=" + offsets.get(1)));
    assertThat(offsetsOf(atTrim)).isEqualTo(offsets.subList(2, HISTORY + 2));
    assertThat(atTrim.getBoolean("recovered")).as("nothing after the since was trimmed").isTrue();
  }

  @Test
  void historyPagesWithSinceAndLimit() {
    String channel = newChannel("ticker");
    List<String> offsets = publishMany(channel, 5);
    String path = channelPath(channel);

    JsonObject first = page(relay.getAsBackend(path + "?limit=2"));
    assertThat(offsetsOf(first)).isEqualTo(offsets.subList(0, 2));
    assertThat(first.getBoolean("recovered")).isTrue();
    JsonObject second = page(relay.getAsBackend(path + "?limit=2&since=" + first.getString("next")));
    assertThat(offsetsOf(second)).isEqualTo(offsets.subList(2, 4));
    JsonObject third = page(relay.getAsBackend(path + "?limit=2&since=" + second.getString("next")));
    assertThat(offsetsOf(third)).isEqualTo(offsets.subList(4, 5));
    JsonObject empty = page(relay.getAsBackend(path + "?limit=2&since=" + third.getString("next")));
    assertThat(empty.getJsonArray("messages")).isEmpty();
    assertThat(empty.getString("next")).as("an empty page keeps the since").isEqualTo(third.getString("next"));
    assertThat(empty.getBoolean("recovered")).isTrue();

    JsonObject frame = first.getJsonArray("messages").getJsonObject(0);
    assertThat(frame.fieldNames()).containsExactly("offset", "type", "channel", "id", "from", "body", "ts");
    assertThat(frame.getString("channel")).isEqualTo(channel);
    assertThat(frame.getJsonObject("body")).isEqualTo(new JsonObject().put("text", "m0"));
  }

  @Test
  void historyOfAChannelNobodyPublishedOnIsEmpty() {
    JsonObject page = page(relay.getAsBackend(channelPath(newChannel("quiet"))));
    assertThat(page).isEqualTo(new JsonObject().put("messages", new JsonArray()).put("next", "0")
        .put("recovered", true));
  }

  @Test
  void badSinceOrLimitIsInvalidField() {
    String path = channelPath(newChannel("ticker"));
    for (String query : List.of("?limit=0", "?limit=101", "?limit=ten", "?since=abc", "?since=-1", "?since=1-2-3")) {
      assertError(relay.getAsBackend(path + query), 400, "invalid_field");
    }
    assertThat(relay.getAsBackend(path + "?limit=100").statusCode()).isEqualTo(200);
  }

  @Test
  void usersReadTheHistoryOfChannelsTheirTokenAllows() {
    String prefix = newChannel("show") + ":";
    String exact = newChannel("merchant");
    String reader = relay.tokenWithChannels(newUser("alice"), List.of(prefix + "*", exact), List.of());
    String publishOnly = relay.tokenWithChannels(newUser("bob"), List.of(), List.of(exact));
    String noRights = relay.token(newUser("carol"));

    assertThat(relay.getAs(reader, channelPath(prefix + "42")).statusCode()).isEqualTo(200);
    assertThat(relay.getAs(reader, channelPath(exact)).statusCode()).isEqualTo(200);
    assertError(relay.getAs(reader, channelPath(exact + "0")), 403, "forbidden");
    assertError(relay.getAs(publishOnly, channelPath(exact)), 403, "forbidden");
    assertError(relay.getAs(noRights, channelPath(exact)), 403, "forbidden");
    assertThat(relay.getAsBackend(channelPath(exact)).statusCode()).isEqualTo(200);
  }

  // --- helpers -------------------------------------------------------------------------------

  /** A token of {@code uid} that may publish on {@code channel}. */
  private static String publisher(String uid, String channel) {
    return relay.tokenWithChannels(uid, List.of(), List.of(channel));
  }

  private static String newChannel(String kind) {
    return newUser(kind);
  }

  private static JsonObject message(String text) {
    return new JsonObject().put("body", new JsonObject().put("text", text));
  }

  private static HttpResponse<Buffer> publishRaw(String token, String channel, String body) {
    return IngestHarness.await(relay.request(HttpMethod.POST, channelPath(channel))
        .putHeader("Authorization", "Bearer " + token).sendBuffer(Buffer.buffer(body)));
  }

  /** Publishes {@code count} messages as the backend; their offsets, oldest first. */
  private static List<String> publishMany(String channel, int count) {
    List<String> offsets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<Buffer> response = relay.publishAsBackend(channel, message("m" + i));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      offsets.add(response.bodyAsJsonObject().getString("offset"));
    }
    return offsets;
  }

  private static JsonObject page(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> offsetsOf(JsonObject page) {
    List<String> offsets = new ArrayList<>();
    page.getJsonArray("messages").forEach(m -> offsets.add(((JsonObject) m).getString("offset")));
    return offsets;
  }

  private static List<Response> history(String channel) {
    List<Response> entries = new ArrayList<>();
    relay.redis(Request.cmd(Command.XRANGE).arg(RedisKeys.channelHistory(channel)).arg("-").arg("+"))
        .forEach(entries::add);
    return entries;
  }

  private static String field(Response entry, String name) {
    Response fields = entry.get(1);
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    throw new AssertionError("no field " + name);
  }

  /** A plain Redis connection subscribed to a channel's pub/sub channel, collecting what is published. */
  private static final class Subscriber implements AutoCloseable {

    final List<String> frames = new CopyOnWriteArrayList<>();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final Redis client = Redis.createClient(relay.vertx, server.url());
    private final RedisConnection connection;

    private Subscriber(String channel) {
      connection = IngestHarness.await(client.connect());
      connection.handler(reply -> {
        String kind = reply.get(0).toString();
        if ("message".equals(kind)) {
          frames.add(reply.get(2).toString());
        } else if ("subscribe".equals(kind)) {
          subscribed.set(true);
        }
      });
      connection.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.channelLive(channel)));
      Awaitility.await().atMost(Duration.ofSeconds(IngestHarness.WAIT_SEC)).untilTrue(subscribed);
    }

    static Subscriber on(String channel) {
      return new Subscriber(channel);
    }

    void awaitFrames(int count) {
      Awaitility.await().atMost(Duration.ofSeconds(IngestHarness.WAIT_SEC)).until(() -> frames.size() >= count);
    }

    @Override
    public void close() {
      connection.close();
      client.close();
    }
  }
}
