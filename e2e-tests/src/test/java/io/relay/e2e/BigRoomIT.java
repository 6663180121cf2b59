package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.testing.ServiceProcess;
import io.relay.testing.SilentWebSocket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rooms of {@value #MEMBERS} members, one WebSocket each, split over two push processes, against
 * a redis-server that closes any subscriber lagging more than 1 MB behind
 * ({@code client-output-buffer-limit pubsub 1mb 1mb 0}). A room entry crosses pub/sub once per
 * push node, so a burst must never cost a node its pub/sub link; when the link is dropped anyway,
 * every member catches up without being closed; and one member that stops reading is closed with
 * 4008 alone, by the byte bound of its send queue ({@code RELAY_SEND_QUEUE_BYTES}, 1 MiB).
 */
class BigRoomIT {

  static final int MEMBERS = 1000;
  static final Duration DELIVERY = Duration.ofSeconds(120);
  /** Event loops per push process, each with its own pub/sub connection. */
  static final int LOOPS = 2;

  static ProcessCluster cluster;
  static RedisProbe probe;

  @BeforeAll
  static void start() {
    // Heartbeat 25 s: a member that stops reading is closed by its queue, long before its silence counts.
    cluster = new ProcessCluster(1, 2, 25,
        List.of("--client-output-buffer-limit", "pubsub 1mb 1mb 0", "--appendfsync", "everysec"),
        // Send queue bounds at their defaults; a long Redis timeout: a loaded machine is no fault here.
        Map.of("RELAY_MAX_ROOM", Integer.toString(MEMBERS), "RELAY_SEND_QUEUE_MAX", "1000",
            "RELAY_REDIS_TIMEOUT_MS", "10000", "RELAY_EVENT_LOOPS", Integer.toString(LOOPS)));
    probe = new RedisProbe(cluster.vertx, cluster.redis.url());
  }

  @AfterAll
  static void stop() {
    probe.close();
    cluster.close();
  }

  @Test
  void aBurstReachesAThousandMembersInOrderAndNoNodeLosesItsPubSubLink() {
    List<String> uids = members("burst");
    String room = createRoom(uids);
    try (RoomCrowd crowd = RoomCrowd.connect(cluster.vertx, uids, cluster.push, cluster::token)) {
      // 1 KB bodies: published once per member that is ≈ 0.5 MB per message to each node, and the
      // 1 MB limit drops the link within a few messages; once per node it is ≈ 20 KB.
      List<String> sent = post(room, 200, "p".repeat(1000), i -> { });

      crowd.awaitEveryone(sent.size(), DELIVERY);
      crowd.assertEveryoneGotAllInOneOrder(sent);
      for (ServiceProcess node : cluster.push) {
        assertThat(cluster.metric(node, "relay_pubsub_reconnects_total")).as("pub/sub reconnects").isZero();
        assertThat(cluster.metric(node, "relay_queue_drops_total")).as("connections dropped as slow").isZero();
      }
    }
  }

  @Test
  void whenThePubSubLinkDropsMidBurstEveryMemberCatchesUpAndNoneIsClosed() {
    List<String> uids = members("dropped");
    String room = createRoom(uids);
    List<Double> reconnectsBefore = cluster.push.stream().map(n -> cluster.metric(n, "relay_pubsub_reconnects_total")).toList();
    try (RoomCrowd crowd = RoomCrowd.connect(cluster.vertx, uids, cluster.push, cluster::token)) {
      List<String> sent = post(room, 200, "", i -> {
        if (i == 50) {
          assertThat(probe.killPubSubConnections()).isEqualTo(cluster.push.size() * LOOPS);
        }
      });

      crowd.awaitEveryone(sent.size(), DELIVERY);
      crowd.assertEveryoneGotAllInOneOrder(sent); // no 1013: every socket stayed open
      for (int n = 0; n < cluster.push.size(); n++) {
        assertThat(cluster.metric(cluster.push.get(n), "relay_pubsub_reconnects_total")).isGreaterThan(reconnectsBefore.get(n));
      }
    }
  }

  /**
   * The silent member also gets large direct messages during the burst: what the kernel buffers
   * for a socket that is not read (on loopback up to a few MB) must pass before the send queue
   * grows at all, and a thousand room logs of that much would not fit a test machine.
   */
  @Test
  void aMemberThatStopsReadingIsClosedWith4008AloneAndResumesWithNothingLost() throws Exception {
    List<String> uids = members("slow");
    String room = createRoom(uids);
    String silentUid = uids.get(0);
    ServiceProcess silentNode = cluster.push.get(0);
    double dropsBefore = drops();
    List<String> sent;
    List<String> direct = new ArrayList<>();
    try (SilentWebSocket silent = new SilentWebSocket(silentNode.port(), "/v1/ws?token=" + cluster.token(silentUid));
        RoomCrowd crowd = RoomCrowd.connect(cluster.vertx, uids.subList(1, MEMBERS), cluster.push, cluster::token)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> probe.setSize(RedisKeys.bindings(silentUid)) == 1);
      // 150 room frames of ~2 KB and 120 direct frames of ~60 KB: far below the frame bound
      // (1000), far above what the kernel and the byte bound (1 MiB) hold together.
      String large = "p".repeat(60_000);
      sent = post(room, 150, "p".repeat(2000), i -> {
        if (i < 120) {
          direct.add(postDirect(silentUid, "d" + i, large));
        }
      });

      crowd.awaitEveryone(sent.size(), DELIVERY);
      crowd.assertEveryoneGotAllInOneOrder(sent);
      await().atMost(Duration.ofSeconds(10)).until(() -> drops() == dropsBefore + 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> probe.setSize(RedisKeys.bindings(silentUid)) == 0);
      assertThat(silent.drainUntilClosed(Duration.ofSeconds(20))).as("close code, -1 if cut off").isIn(4008, -1);
      List<String> order = crowd.members.get(0).ids();
      try (WsClient resumed = cluster.connect(silentNode, cluster.token(silentUid), "&since=0")) {
        List<String> received = resumed.awaitMessages(sent.size() + direct.size()).stream()
            .map(m -> m.getString("id")).toList();
        assertThat(received).doesNotHaveDuplicates().containsAll(direct);
        assertThat(received.stream().filter(sent::contains).toList()).isEqualTo(order);
      }
    }
  }

  private static String postDirect(String to, String text, String padding) {
    JsonObject message = new JsonObject().put("to", to)
        .put("body", new JsonObject().put("text", text).put("pad", padding));
    var response = cluster.http.post(cluster.ingest.get(0).port(), "127.0.0.1", "/v1/messages")
        .putHeader("X-Api-Key", ProcessCluster.API_KEY).sendJsonObject(message).await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getString("id");
  }

  private static double drops() {
    return cluster.push.stream().mapToDouble(n -> cluster.metric(n, "relay_queue_drops_total")).sum();
  }

  private static List<String> members(String name) {
    String prefix = RelayStack.newUser(name);
    return IntStream.range(0, MEMBERS).mapToObj(i -> prefix + "-" + i).toList();
  }

  private static String createRoom(List<String> uids) {
    String room = RelayStack.newUser("room");
    int status = cluster.http.post(cluster.ingest.get(0).port(), "127.0.0.1", "/v1/rooms")
        .putHeader("X-Api-Key", ProcessCluster.API_KEY)
        .sendJsonObject(new JsonObject().put("id", room).put("members", new JsonArray(uids))).await().statusCode();
    assertThat(status).isEqualTo(201);
    return room;
  }

  /**
   * Posts {@code count} room messages as a backend as fast as 4 requests in flight allow, calling
   * {@code beforeEach} with the index of each before it goes out; returns the message ids.
   */
  private static List<String> post(String room, int count, String padding, IntConsumer beforeEach) {
    List<String> ids = new ArrayList<>();
    for (int from = 0; from < count; from += 4) {
      List<Future<String>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + 4); i++) {
        beforeEach.accept(i);
        JsonObject message = new JsonObject().put("room", room)
            .put("body", new JsonObject().put("text", "m" + i).put("pad", padding));
        batch.add(cluster.http.post(cluster.ingest.get(0).port(), "127.0.0.1", "/v1/messages")
            .putHeader("X-Api-Key", ProcessCluster.API_KEY).sendJsonObject(message)
            .map(response -> {
              assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
              return response.bodyAsJsonObject().getString("id");
            }));
      }
      Future.all(batch).await();
      batch.forEach(id -> ids.add(id.result()));
    }
    return ids;
  }
}
