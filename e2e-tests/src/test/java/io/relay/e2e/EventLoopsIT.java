package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.push.PushNode;
import io.relay.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both services on {@value #LOOPS} event loops each (docs/architecture.md#event-loops), as separate
 * processes: a user's connections, a room's members and a channel's subscribers spread over the
 * push process's loops (accepted connections go to the loops in turn), and each connection still
 * gets every message exactly once, in order; each loop holds its own subscriptions and bindings,
 * the metrics report the process's totals, and SIGTERM drains every loop.
 */
class EventLoopsIT {

  static final int LOOPS = 3;
  /** The push process's node id (ProcessCluster names them push-0, push-1, …). */
  static final String NODE = "push-0";

  static ProcessCluster cluster;
  static RedisProbe redis;

  @BeforeAll
  static void start() {
    cluster = new ProcessCluster(1, 1, 25, List.of(), Map.of("RELAY_EVENT_LOOPS", Integer.toString(LOOPS),
        "RELAY_SEND_QUEUE_MAX", "1000"));
    redis = new RedisProbe(cluster.vertx, cluster.redis.url());
  }

  @AfterAll
  static void stop() {
    redis.close();
    cluster.close();
  }

  @Test
  void everyConnectionOfAUserOnEveryLoopGetsEachMessageOnceInOrder() {
    String bob = newUser("bob");
    List<WsClient> devices = connect(token(bob), 2 * LOOPS);
    try {
      assertThat(new TreeSet<>(nodesOf(bob).values())).as("bob's connections span every loop")
          .isEqualTo(loopNodes());
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(sendDirect(bob, "m" + i));
      }
      sent.add(sendDirect(bob, "last")); // once every device has it, nothing earlier can still come
      for (WsClient device : devices) {
        device.awaitFrame("last", f -> "message".equals(f.getString("type")) && "last".equals(text(f)));
        assertThat(ids(device)).as("each message once, in order").isEqualTo(sent);
      }
    } finally {
      devices.forEach(WsClient::close);
    }
  }

  @Test
  void aRoomWhoseMembersSpanLoopsReachesEveryConnectionOnce() {
    String room = newUser("room");
    List<String> members = List.of(newUser("alice"), newUser("bob"), newUser("carol"));
    String sender = newUser("dave");
    List<Object> all = new ArrayList<>(members);
    all.add(sender);
    HttpResponse<Buffer> created = cluster.http.post(ingestPort(), "127.0.0.1", "/v1/rooms")
        .putHeader("X-Api-Key", ProcessCluster.API_KEY)
        .sendJsonObject(new JsonObject().put("id", room).put("members", new JsonArray(all))).await();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    List<WsClient> connections = new ArrayList<>();
    try {
      for (String member : members) {
        connections.addAll(connect(token(member), LOOPS));
        assertThat(new TreeSet<>(nodesOf(member).values())).as(member + " on every loop").isEqualTo(loopNodes());
      }
      String senderToken = token(sender);
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        sent.add(sendToRoom(senderToken, room, i == 9 ? "last" : "r" + i));
      }
      for (WsClient connection : connections) {
        connection.awaitFrame("last", f -> "message".equals(f.getString("type")) && "last".equals(text(f)));
        assertThat(ids(connection)).as("each room message once, in order").isEqualTo(sent);
      }
    } finally {
      connections.forEach(WsClient::close);
    }
  }

  @Test
  void channelSubscribersOnEveryLoopEachGetEveryMessageOnceAndEachLoopSubscribesOnce() {
    String channel = "show:" + UUID.randomUUID().toString().substring(0, 8);
    List<String> users = IntStream.range(0, 2 * LOOPS).mapToObj(i -> newUser("viewer")).toList();
    List<WsClient> viewers = new ArrayList<>();
    Map<WsClient, String> nodes = new HashMap<>();
    try {
      for (String user : users) {
        WsClient viewer = connect(token(user, "show:*"), 1).get(0);
        viewers.add(viewer);
        nodes.put(viewer, nodesOf(user).values().iterator().next());
        viewer.send(new JsonObject().put("type", "subscribe").put("channel", channel));
        viewer.awaitFrame("subscribed", f -> "subscribed".equals(f.getString("type")));
      }
      assertThat(new TreeSet<>(nodes.values())).isEqualTo(loopNodes());
      assertThat(numsub(RedisKeys.channelLive(channel))).as("one subscription per loop").isEqualTo(LOOPS);

      List<String> offsets = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        offsets.add(publish(channel, i == 9 ? "last" : "c" + i));
      }
      for (WsClient viewer : viewers) {
        viewer.awaitFrame("last", f -> "message".equals(f.getString("type")) && "last".equals(text(f)));
        assertThat(viewer.messages()).extracting(m -> m.getString("offset")).isEqualTo(offsets);
      }

      String leaving = nodes.get(viewers.get(0));
      viewers.stream().filter(v -> nodes.get(v).equals(leaving)).forEach(WsClient::close);
      await().atMost(WsClient.WAIT).until(() -> numsub(RedisKeys.channelLive(channel)) == LOOPS - 1);
    } finally {
      viewers.stream().filter(v -> v.closeCode() == null).forEach(WsClient::close);
    }
    await().atMost(WsClient.WAIT).until(() -> numsub(RedisKeys.channelLive(channel)) == 0);
  }

  @Test
  void aLoopDropsAUsersSubscriptionAndBindingsWithItsLastConnectionOfThem() {
    String bob = newUser("bob");
    List<WsClient> devices = connect(token(bob), 2 * LOOPS);
    Map<String, String> nodes = nodesOf(bob);
    String live = RedisKeys.liveChannel(bob);
    try {
      assertThat(numsub(live)).as("one subscription per loop, not per connection").isEqualTo(LOOPS);
      assertThat(redis.setSize(RedisKeys.bindings(bob))).isEqualTo(2L * LOOPS);
      await().atMost(WsClient.WAIT).until(() -> metricLines(push(), "relay_connections").equals(
          List.of("relay_connections " + (double) (2 * LOOPS))));

      String leaving = nodes.get(connectionId(devices.get(0)));
      List<WsClient> staying = new ArrayList<>();
      for (WsClient device : devices) {
        if (nodes.get(connectionId(device)).equals(leaving)) {
          device.close();
        } else {
          staying.add(device);
        }
      }
      await().atMost(WsClient.WAIT).until(() -> numsub(live) == LOOPS - 1);
      await().atMost(WsClient.WAIT).until(() -> redis.setSize(RedisKeys.bindings(bob)) == staying.size());
      JsonArray online = presence(bob).getJsonArray("connections");
      assertThat(online).hasSize(staying.size());
      assertThat(online.stream().map(c -> ((JsonObject) c).getString("node"))).doesNotContain(leaving);
      await().atMost(WsClient.WAIT).until(() -> metric(push(), "relay_connections") == staying.size());

      String id = sendDirect(bob, "after");
      for (WsClient device : staying) {
        device.awaitFrame("after", f -> "message".equals(f.getString("type")) && "after".equals(text(f)));
        assertThat(ids(device)).containsExactly(id);
      }
      staying.forEach(WsClient::close);
      await().atMost(WsClient.WAIT).until(() -> numsub(live) == 0 && redis.setSize(RedisKeys.bindings(bob)) == 0);
      assertThat(presence(bob).getBoolean("online")).isFalse();
    } finally {
      devices.stream().filter(d -> d.closeCode() == null).forEach(WsClient::close);
    }
  }

  @Test
  void metricsReportTheProcessTotalsOnce() {
    double stored = metric(ingest(), "relay_messages_stored_total");
    String carol = newUser("carol");
    List<Future<HttpResponse<Buffer>>> sends = IntStream.range(0, 12)
        .mapToObj(i -> cluster.http.post(ingestPort(), "127.0.0.1", "/v1/messages")
            .putHeader("X-Api-Key", ProcessCluster.API_KEY)
            .sendJsonObject(new JsonObject().put("to", carol).put("body", new JsonObject().put("text", "x" + i))))
        .toList();
    Future.all(sends).await();
    assertThat(sends).allMatch(send -> send.result().statusCode() == 201);
    assertThat(metric(ingest(), "relay_messages_stored_total")).isEqualTo(stored + 12);

    for (ServiceProcess node : List.of(ingest(), push())) {
      String text = cluster.http.get(node.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();
      List<String> series = text.lines().filter(line -> !line.startsWith("#")).map(line -> line.substring(0,
          line.lastIndexOf(' '))).toList();
      assertThat(series).as("every series once").doesNotHaveDuplicates();
      assertThat(series).contains("relay_redis_up");
    }
    assertThat(metric(push(), "relay_redis_up")).isEqualTo(1.0);
    JsonObject live = cluster.http.get(push().port(), "127.0.0.1", "/health/live").send().await().bodyAsJsonObject();
    assertThat(live.getString("node")).as("the process's node id").isEqualTo(NODE);
  }

  @Test
  void sigtermClosesEveryLoopsConnectionsWith1012AndRemovesTheirBindings() {
    String bob = newUser("bob");
    List<WsClient> devices = connect(token(bob), 2 * LOOPS);
    try {
      assertThat(new TreeSet<>(nodesOf(bob).values())).isEqualTo(loopNodes());
      assertThat(push().terminate()).isIn(0, 143);
      for (WsClient device : devices) {
        assertThat(device.awaitClose()).isEqualTo((short) 1012);
      }
      assertThat(redis.setSize(RedisKeys.bindings(bob))).as("every loop removed its bindings").isZero();
      assertThat(numsub(RedisKeys.liveChannel(bob))).isZero();
    } finally {
      push().restart();
    }
  }

  // ---------------------------------------------------------------------------------------------

  static ServiceProcess ingest() {
    return cluster.ingest.get(0);
  }

  static ServiceProcess push() {
    return cluster.push.get(0);
  }

  static int ingestPort() {
    return ingest().port();
  }

  static Set<String> loopNodes() {
    return new TreeSet<>(IntStream.range(0, LOOPS).mapToObj(loop -> PushNode.loopNodeId(NODE, loop)).toList());
  }

  static String newUser(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String token(String uid, String... channels) {
    HttpResponse<Buffer> response = cluster.http.post(ingestPort(), "127.0.0.1", "/v1/tokens")
        .putHeader("X-Api-Key", ProcessCluster.API_KEY)
        .sendJsonObject(new JsonObject().put("uid", uid).put("ttlSec", 3600)
            .put("channels", new JsonArray(List.of((Object[]) channels)))).await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  /** {@code count} WebSocket connections, one after the other: the push process hands them to its loops in turn. */
  static List<WsClient> connect(String token, int count) {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WsClient client = cluster.connect(push(), token, "&device=d" + i);
      client.hello();
      clients.add(client);
    }
    return clients;
  }

  static String connectionId(WsClient client) {
    return client.hello().getString("connectionId");
  }

  static JsonObject presence(String uid) {
    return cluster.http.get(ingestPort(), "127.0.0.1", "/v1/presence/" + uid)
        .putHeader("X-Api-Key", ProcessCluster.API_KEY).send().await().bodyAsJsonObject();
  }

  /** Connection id → the node id (event loop) holding it, from presence. */
  static Map<String, String> nodesOf(String uid) {
    Map<String, String> nodes = new HashMap<>();
    presence(uid).getJsonArray("connections").forEach(c -> nodes.put(((JsonObject) c).getString("id"),
        ((JsonObject) c).getString("node")));
    return nodes;
  }

  static String sendDirect(String to, String text) {
    HttpResponse<Buffer> sent = cluster.sendAsBackend(ingest(),
        new JsonObject().put("to", to).put("body", new JsonObject().put("text", text)));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    return sent.bodyAsJsonObject().getString("id");
  }

  static String sendToRoom(String token, String room, String text) {
    HttpResponse<Buffer> sent = cluster.send(ingest(), token,
        new JsonObject().put("room", room).put("body", new JsonObject().put("text", text)));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    return sent.bodyAsJsonObject().getString("id");
  }

  static String publish(String channel, String text) {
    HttpResponse<Buffer> published = cluster.http.post(ingestPort(), "127.0.0.1", "/v1/channels/" + channel + "/messages")
        .putHeader("X-Api-Key", ProcessCluster.API_KEY)
        .sendJsonObject(new JsonObject().put("body", new JsonObject().put("text", text))).await();
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    return published.bodyAsJsonObject().getString("offset");
  }

  static String text(JsonObject frame) {
    JsonObject body = frame.getJsonObject("body");
    return body == null ? null : body.getString("text");
  }

  static List<String> ids(WsClient client) {
    return client.messages().stream().map(m -> m.getString("id")).toList();
  }

  static long numsub(String channel) {
    return redis.send(Command.PUBSUB, "NUMSUB", channel).get(1).toLong();
  }

  static double metric(ServiceProcess node, String name) {
    return cluster.metric(node, name);
  }

  static List<String> metricLines(ServiceProcess node, String name) {
    String text = cluster.http.get(node.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")).toList();
  }
}
