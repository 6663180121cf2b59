package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Channels end to end: a redis-server, an ingest and two push processes, real WebSocket, SSE and
 * HTTP clients. Publishing goes through the real ingest endpoint; subscribing through the push
 * nodes' subscribe frames, {@code ?channels=} streams and polls.
 */
class ChannelDeliveryIT {

  static final int HISTORY = 50;
  static final int MAX_CHANNELS = 5;
  /** Event loops per push process: each subscribes a channel on its own pub/sub connection. */
  static final int LOOPS = 2;
  /** The 1000-connection test on a busy 2-core machine: generous, it only bounds a failure. */
  static final Duration BURST_WAIT = Duration.ofSeconds(120);

  static ProcessCluster cluster;
  static RedisProbe redis;

  @BeforeAll
  static void start() {
    cluster = new ProcessCluster(1, 2, 25, List.of(), Map.of(
        "RELAY_CHANNEL_HISTORY", Integer.toString(HISTORY),
        "RELAY_MAX_CHANNELS_PER_CONN", Integer.toString(MAX_CHANNELS),
        "RELAY_EVENT_LOOPS", Integer.toString(LOOPS),
        "RELAY_SEND_QUEUE_MAX", "1000"));
    redis = new RedisProbe(cluster.vertx, cluster.redis.url());
  }

  @AfterAll
  static void stop() {
    redis.close();
    cluster.close();
  }

  @Test
  void subscribeDeliversEveryMessageUntilUnsubscribe() {
    String channel = newChannel("show");
    String uid = newUser();
    try (WsClient ws = connect(push(0), token(uid, "show:*"))) {
      JsonObject subscribed = subscribe(ws, channel, null);
      assertThat(subscribed.getValue("offset")).isNull();
      assertThat(subscribed.getBoolean("recovered")).isTrue();

      List<JsonObject> published = List.of(publish(channel, "a"), publish(channel, "b"), publish(channel, "c"));
      List<JsonObject> received = awaitChannelMessages(ws, channel, 3);
      assertThat(received).extracting(m -> m.getString("offset"))
          .containsExactlyElementsOf(published.stream().map(p -> p.getString("offset")).toList());
      assertThat(received).extracting(m -> m.getString("id"))
          .containsExactlyElementsOf(published.stream().map(p -> p.getString("id")).toList());
      JsonObject first = received.get(0);
      assertThat(first.fieldNames().iterator().next()).isEqualTo("offset");
      assertThat(first.getString("type")).isEqualTo("message");
      assertThat(first.getString("channel")).isEqualTo(channel);
      assertThat(first.getJsonObject("body").getString("text")).isEqualTo("a");

      ws.send(new JsonObject().put("type", "unsubscribe").put("channel", channel));
      ws.awaitFrame("unsubscribed", f -> "unsubscribed".equals(f.getString("type")) && channel.equals(f.getString("channel")));
      publish(channel, "after");
      awaitDirectMarker(ws, uid);
      assertThat(channelMessages(ws, channel)).hasSize(3);
    }
  }

  @Test
  void aRefusedSubscribeKeepsTheConnection() {
    String channel = newChannel("show");
    try (WsClient ws = connect(push(0), token(newUser(), "show:*"))) {
      String staff = newChannel("staff");
      ws.send(new JsonObject().put("type", "subscribe").put("channel", staff));
      JsonObject refused = awaitError(ws, staff);
      assertThat(refused.getString("code")).isEqualTo("forbidden");

      ws.send(new JsonObject().put("type", "subscribe").put("channel", "no spaces"));
      assertThat(awaitError(ws, "no spaces").getString("code")).isEqualTo("invalid_field");

      subscribe(ws, channel, null);
      publish(channel, "still here");
      assertThat(awaitChannelMessages(ws, channel, 1).get(0).getJsonObject("body").getString("text"))
          .isEqualTo("still here");
      assertThat(ws.closeCode()).isNull();
    }
  }

  @Test
  void sinceResumesWithoutGapOrRepeatWhileMessagesArePublished() throws Exception {
    String channel = newChannel("show");
    List<String> offsets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      offsets.add(publish(channel, "before-" + i).getString("offset"));
    }
    String since = offsets.get(1);
    CompletableFuture<List<String>> during = CompletableFuture.supplyAsync(() -> {
      List<String> more = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        more.add(publish(channel, "during-" + i).getString("offset"));
      }
      return more;
    });
    try (WsClient ws = connect(push(1), token(newUser(), channel))) {
      JsonObject subscribed = subscribe(ws, channel, since);
      assertThat(subscribed.getBoolean("recovered")).isTrue();
      offsets.addAll(during.get());
      List<String> expected = offsets.subList(2, offsets.size());
      List<JsonObject> received = awaitChannelMessages(ws, channel, expected.size());
      assertThat(received).extracting(m -> m.getString("offset")).containsExactlyElementsOf(expected);
      publish(channel, "last");
      awaitChannelMessages(ws, channel, expected.size() + 1);
      assertThat(channelMessages(ws, channel)).hasSize(expected.size() + 1);
    }
  }

  @Test
  void sinceOlderThanTheHistoryIsNotRecovered() {
    String channel = newChannel("show");
    List<String> offsets = new ArrayList<>();
    for (int i = 0; i < HISTORY + 5; i++) {
      offsets.add(publish(channel, "m" + i).getString("offset"));
    }
    try (WsClient trimmed = connect(push(0), token(newUser(), "show:*"));
        WsClient kept = connect(push(1), token(newUser(), "show:*"))) {
      JsonObject lost = subscribe(trimmed, channel, offsets.get(0));
      assertThat(lost.getBoolean("recovered")).isFalse();
      assertThat(lost.getString("offset")).isEqualTo(offsets.get(offsets.size() - 1));
      assertThat(awaitChannelMessages(trimmed, channel, HISTORY)).extracting(m -> m.getString("offset"))
          .containsExactlyElementsOf(offsets.subList(5, offsets.size()));

      assertThat(subscribe(kept, channel, offsets.get(10)).getBoolean("recovered")).isTrue();
      assertThat(awaitChannelMessages(kept, channel, offsets.size() - 11)).extracting(m -> m.getString("offset"))
          .containsExactlyElementsOf(offsets.subList(11, offsets.size()));
    }
  }

  @Test
  void subscribingTwiceAnswersTwiceAndDeliversOnce() {
    String channel = newChannel("show");
    String uid = newUser();
    try (WsClient ws = connect(push(0), token(uid, "show:*"))) {
      subscribe(ws, channel, null);
      ws.send(new JsonObject().put("type", "subscribe").put("channel", channel));
      await().atMost(WsClient.WAIT).until(() -> ws.frames().stream()
          .filter(f -> "subscribed".equals(f.getString("type")) && channel.equals(f.getString("channel"))).count() == 2);
      publish(channel, "once");
      awaitDirectMarker(ws, uid);
      assertThat(channelMessages(ws, channel)).hasSize(1);
    }
  }

  @Test
  void aConnectionHoldsAtMostTheChannelLimit() {
    String prefix = newChannel("limit");
    try (WsClient ws = connect(push(1), token(newUser(), prefix + "*"))) {
      for (int i = 0; i < MAX_CHANNELS; i++) {
        subscribe(ws, prefix + i, null);
      }
      ws.send(new JsonObject().put("type", "subscribe").put("channel", prefix + "over"));
      assertThat(awaitError(ws, prefix + "over").getString("code")).isEqualTo("rate_limited");

      ws.send(new JsonObject().put("type", "unsubscribe").put("channel", prefix + 0));
      subscribe(ws, prefix + "over", null);
      assertThat(ws.closeCode()).isNull();
    }
  }

  @Test
  void transientMessagesReachSubscribersWithoutAnOffset() {
    String channel = newChannel("ticker");
    try (WsClient ws = connect(push(0), token(newUser(), channel))) {
      subscribe(ws, channel, null);
      HttpResponse<Buffer> accepted = publishRaw(channel, new JsonObject()
          .put("body", new JsonObject().put("text", "now")).put("transient", true));
      assertThat(accepted.statusCode()).isEqualTo(202);
      JsonObject received = awaitChannelMessages(ws, channel, 1).get(0);
      assertThat(received.containsKey("offset")).isFalse();
      assertThat(received.getJsonObject("body").getString("text")).isEqualTo("now");
    }
  }

  @Test
  void sseCarriesChannelsAsChannelEvents() {
    String channel = newChannel("show");
    String token = token(newUser(), "show:*");
    try (SseClient sse = SseClient.connect(cluster.vertx, push(1).port(),
        "/v1/sse?token=" + token + "&channels=" + channel, Map.of())) {
      sse.hello();
      JsonObject subscribed = sse.awaitEvent("subscribed", e -> "subscribed".equals(e.name())).json();
      assertThat(subscribed.getString("channel")).isEqualTo(channel);
      String offset = publish(channel, "sold").getString("offset");
      SseClient.Event event = sse.awaitEvent("channel event", e -> "channel".equals(e.name()));
      assertThat(event.id()).isNull();
      assertThat(event.json().getString("offset")).isEqualTo(offset);
      assertThat(event.json().getString("channel")).isEqualTo(channel);
    }
    try (SseClient refused = SseClient.connect(cluster.vertx, push(1).port(),
        "/v1/sse?token=" + token + "&channels=" + channel + "," + newChannel("staff"), Map.of())) {
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.errorBody().getJsonObject("error").getString("code")).isEqualTo("forbidden");
    }
  }

  @Test
  void longPollCarriesChannelsAndAChannelMessageWakesAHeldPoll() {
    String channel = newChannel("show");
    String token = token(newUser(), "show:*");
    String first = publish(channel, "one").getString("offset");
    String second = publish(channel, "two").getString("offset");

    JsonObject answer = poll(token, "&wait=0&channels=" + channel + ":" + first).await().bodyAsJsonObject();
    JsonObject part = answer.getJsonObject("channels").getJsonObject(channel);
    assertThat(offsetsOf(part.getJsonArray("messages"))).containsExactly(second);
    assertThat(part.getString("next")).isEqualTo(second);

    Future<HttpResponse<Buffer>> held = poll(token, "&wait=20&channels=" + channel + ":" + second);
    await().atMost(WsClient.WAIT).until(() -> cluster.metric(push(0), "relay_channel_subscriptions") >= 1);
    String third = publish(channel, "three").getString("offset");
    JsonObject woken = held.await().bodyAsJsonObject().getJsonObject("channels").getJsonObject(channel);
    assertThat(offsetsOf(woken.getJsonArray("messages"))).containsExactly(third);
    assertThat(woken.getString("next")).isEqualTo(third);

    HttpResponse<Buffer> refused = poll(token, "&wait=0&channels=" + newChannel("staff")).await();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("forbidden");
  }

  @Test
  void eachNodeSubscribesAChannelOnceAndLetsGoWhenItsClientsDo() {
    String channel = newChannel("show");
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        WsClient ws = connect(push(i % 2), token(newUser(), "show:*"));
        clients.add(ws);
        subscribe(ws, channel, null);
      }
      // one SUBSCRIBE per push node's event loop (each holds 5 of them), not per connection
      assertThat(numsub(channel)).isEqualTo(2 * LOOPS);
      for (int node = 0; node < 2; node++) {
        ServiceProcess push = push(node);
        await().atMost(WsClient.WAIT).until(() -> cluster.metric(push, "relay_channel_subscriptions") == 10
            && cluster.metric(push, "relay_channels") == LOOPS);
      }
      publish(channel, "all");
      clients.forEach(ws -> assertThat(awaitChannelMessages(ws, channel, 1)).hasSize(1));
    } finally {
      clients.forEach(WsClient::close);
    }
    for (int node = 0; node < 2; node++) {
      ServiceProcess push = push(node);
      await().atMost(WsClient.WAIT).until(() -> cluster.metric(push, "relay_channel_subscriptions") == 0
          && cluster.metric(push, "relay_channels") == 0);
    }
    assertThat(numsub(channel)).isZero();
  }

  @Test
  void messagesPublishedWhileThePubSubLinkIsDownArriveOnceInOrder() {
    String channel = newChannel("show");
    try (WsClient ws = connect(push(0), token(newUser(), "show:*"))) {
      subscribe(ws, channel, null);
      List<String> offsets = new ArrayList<>();
      offsets.add(publish(channel, "before").getString("offset"));
      awaitChannelMessages(ws, channel, 1);
      assertThat(redis.killPubSubConnections()).isPositive();
      for (int i = 0; i < 5; i++) {
        offsets.add(publish(channel, "during-" + i).getString("offset"));
      }
      offsets.add(publish(channel, "after").getString("offset"));
      assertThat(awaitChannelMessages(ws, channel, offsets.size())).extracting(m -> m.getString("offset"))
          .containsExactlyElementsOf(offsets);
      publish(channel, "later");
      assertThat(awaitChannelMessages(ws, channel, offsets.size() + 1)).hasSize(offsets.size() + 1);
      assertThat(ws.closeCode()).isNull();
    }
  }

  @Test
  void aThousandSubscribersGetEveryMessageOnceInOrder() {
    String channel = newChannel("show");
    int subscribers = 1000;
    int messages = 100;
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tokens.add(token(newUser(), "show:*"));
    }
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < subscribers; i++) {
        WsClient ws = cluster.connect(push(i % 2), tokens.get(i % tokens.size()), "");
        clients.add(ws);
        ws.send(new JsonObject().put("type", "subscribe").put("channel", channel)); // answered after hello
      }
      await().alias("all subscribed").atMost(BURST_WAIT).pollInterval(Duration.ofMillis(200))
          .until(() -> clients.stream().allMatch(ws -> ws.frames().stream().anyMatch(
              f -> "subscribed".equals(f.getString("type")) && channel.equals(f.getString("channel")))));
      assertThat(numsub(channel)).isEqualTo(2 * LOOPS);

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < messages; i++) {
        ids.add(publish(channel, "burst-" + i).getString("id"));
      }

      await().alias("every message everywhere").atMost(BURST_WAIT).pollInterval(Duration.ofMillis(200))
          .until(() -> clients.stream().allMatch(ws -> channelMessages(ws, channel).size() >= messages));
      for (WsClient ws : clients) {
        List<JsonObject> received = channelMessages(ws, channel);
        assertThat(received).extracting(m -> m.getString("id")).containsExactlyElementsOf(ids);
        List<String> offsets = received.stream().map(m -> m.getString("offset")).toList();
        assertThat(offsets).isSortedAccordingTo(ChannelDeliveryIT::byOffset).doesNotHaveDuplicates();
        assertThat(ws.closeCode()).isNull();
      }
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  // --- helpers

  static ServiceProcess push(int node) {
    return cluster.push.get(node);
  }

  static String newUser() {
    return "u-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String newChannel(String prefix) {
    return prefix + ":" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A user token that may subscribe to {@code patterns}. */
  static String token(String uid, String... patterns) {
    HttpResponse<Buffer> response = cluster.http.post(cluster.ingest.get(0).port(), "127.0.0.1", "/v1/tokens")
        .putHeader("X-Api-Key", ProcessCluster.API_KEY)
        .sendJsonObject(new JsonObject().put("uid", uid).put("ttlSec", 3600)
            .put("channels", new JsonArray(List.of((Object[]) patterns)))).await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  static Future<HttpResponse<Buffer>> publishAsync(String channel, JsonObject message) {
    return cluster.http.post(cluster.ingest.get(0).port(), "127.0.0.1", "/v1/channels/" + channel + "/messages")
        .putHeader("X-Api-Key", ProcessCluster.API_KEY)
        .sendJsonObject(message);
  }

  static HttpResponse<Buffer> publishRaw(String channel, JsonObject message) {
    return publishAsync(channel, message).await();
  }

  /**
   * Publishes a stored message as the backend; returns the 201 answer ({@code id}, {@code offset}).
   * A 503 (Redis too slow on a busy machine: nothing stored) is retried with the same clientMsgId.
   */
  static JsonObject publish(String channel, String text) {
    JsonObject message = new JsonObject().put("body", new JsonObject().put("text", text))
        .put("clientMsgId", UUID.randomUUID().toString());
    HttpResponse<Buffer> response = publishRaw(channel, message);
    for (int attempt = 0; attempt < 5 && response.statusCode() == 503; attempt++) {
      response = publishRaw(channel, message);
    }
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  static Future<HttpResponse<Buffer>> poll(String token, String query) {
    return cluster.http.get(push(0).port(), "127.0.0.1", "/v1/poll?token=" + token + query).timeout(30_000).send();
  }

  static WsClient connect(ServiceProcess node, String token) {
    WsClient ws = cluster.connect(node, token, "");
    ws.hello();
    return ws;
  }

  /** Sends subscribe and returns the first {@code subscribed} for the channel. */
  static JsonObject subscribe(WsClient ws, String channel, String since) {
    JsonObject frame = new JsonObject().put("type", "subscribe").put("channel", channel);
    if (since != null) {
      frame.put("since", since);
    }
    ws.send(frame);
    return subscribed(ws, channel);
  }

  static JsonObject subscribed(WsClient ws, String channel) {
    return ws.awaitFrame("subscribed " + channel,
        f -> "subscribed".equals(f.getString("type")) && channel.equals(f.getString("channel")));
  }

  static JsonObject awaitError(WsClient ws, String channel) {
    return ws.awaitFrame("error for " + channel,
        f -> "error".equals(f.getString("type")) && channel.equals(f.getString("channel")));
  }

  static List<JsonObject> channelMessages(WsClient ws, String channel) {
    return ws.messages().stream().filter(m -> channel.equals(m.getString("channel"))).toList();
  }

  static List<JsonObject> awaitChannelMessages(WsClient ws, String channel, int count) {
    await().alias(count + " messages of " + channel).atMost(WsClient.WAIT)
        .until(() -> channelMessages(ws, channel).size() >= count);
    return channelMessages(ws, channel);
  }

  /**
   * Sends {@code uid} a direct message and waits for it: everything published to the node before
   * it has been handed to this connection by then (one pub/sub connection keeps the order).
   */
  static void awaitDirectMarker(WsClient ws, String uid) {
    String marker = UUID.randomUUID().toString();
    HttpResponse<Buffer> sent = cluster.sendAsBackend(cluster.ingest.get(0),
        new JsonObject().put("to", uid).put("body", new JsonObject().put("marker", marker)));
    assertThat(sent.statusCode()).isEqualTo(201);
    ws.awaitFrame("marker", f -> f.getJsonObject("body") != null
        && marker.equals(f.getJsonObject("body").getString("marker")));
  }

  static long numsub(String channel) {
    return redis.send(Command.PUBSUB, "NUMSUB", RedisKeys.channelLive(channel)).get(1).toLong();
  }

  static List<String> offsetsOf(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getString("offset")).toList();
  }

  static int byOffset(String a, String b) {
    return io.relay.model.Seq.parse(a).compareTo(io.relay.model.Seq.parse(b));
  }
}
