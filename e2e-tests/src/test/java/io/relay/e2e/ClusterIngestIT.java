package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.RedisCluster;
import io.relay.testing.RedisProcess;
import io.relay.testing.RespCommand;
import io.relay.testing.ServiceProcess;
import io.relay.testing.ServiceProcess.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest-service on a real Redis Cluster (three primaries, three replicas), as separate
 * processes with {@code REDIS_URL} = the seed list: messages between users on different shards,
 * a room across every shard, a partial store completed by a retry, send limits shared by two
 * nodes, and {@code RELAY_REDIS_WAIT_REPLICAS}.
 */
class ClusterIngestIT {

  private static final String API_KEY = "cluster-ingest-key";
  private static final int BURST = 5;

  private static RedisCluster cluster;
  private static final List<ServiceProcess> nodes = new ArrayList<>();
  private static ServiceProcess ingest;
  private static ServiceProcess secondIngest;
  private static ServiceProcess waitingIngest;
  private static Map<String, String> env;
  private static final Vertx vertx = Vertx.vertx();
  private static final WebClient http = WebClient.create(vertx);

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start();
    env = new HashMap<>();
    env.put("REDIS_URL", cluster.url());
    env.put("RELAY_JWT_SECRET", "cluster-secret-" + UUID.randomUUID());
    env.put("RELAY_API_KEYS", API_KEY);
    env.put("RELAY_REDIS_TIMEOUT_MS", "3000");
    env.put("RELAY_RATE_USER_PER_SEC", "1");
    env.put("RELAY_RATE_USER_BURST", Integer.toString(BURST));
    ingest = start(env, "ingest-a");
    secondIngest = start(env, "ingest-b");
    Map<String, String> waiting = new HashMap<>(env);
    waiting.put("RELAY_REDIS_WAIT_REPLICAS", "1");
    waitingIngest = start(waiting, "ingest-wait");
  }

  private static ServiceProcess start(Map<String, String> env, String nodeId) {
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.put("RELAY_NODE_ID", nodeId);
    ServiceProcess node = ServiceProcess.start(Kind.INGEST, nodeEnv);
    nodes.add(node);
    return node;
  }

  @AfterAll
  static void stop() {
    nodes.forEach(ServiceProcess::close);
    http.close();
    vertx.close().await();
    cluster.close();
  }

  @Test
  void directMessagesBetweenShardsReachBothLogsOnce() {
    List<String> users = usersOnEveryShard("dm");
    String alice = users.get(0);
    String bob = users.get(1);
    String aliceToken = token(alice);
    String bobToken = token(bob);

    HttpResponse<Buffer> sent = send(ingest, aliceToken, new JsonObject().put("to", bob)
        .put("body", new JsonObject().put("text", "hi bob")).put("clientMsgId", "c-1"));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    String id = sent.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> reply = send(secondIngest, bobToken, new JsonObject().put("to", alice)
        .put("body", new JsonObject().put("text", "hi alice")));
    assertThat(reply.statusCode()).as(reply.bodyAsString()).isEqualTo(201);

    assertThat(ids(log(ingest, aliceToken))).containsExactly(id, reply.bodyAsJsonObject().getString("id"));
    assertThat(ids(log(secondIngest, bobToken))).containsExactly(id, reply.bodyAsJsonObject().getString("id"));

    HttpResponse<Buffer> repeat = send(secondIngest, aliceToken, new JsonObject().put("to", bob)
        .put("body", new JsonObject().put("text", "hi bob")).put("clientMsgId", "c-1"));
    assertThat(repeat.statusCode()).isEqualTo(200);
    assertThat(repeat.bodyAsJsonObject().getString("id")).isEqualTo(id);
    assertThat(repeat.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    assertThat(ids(log(ingest, bobToken))).containsOnlyOnce(id);

    // A backend's message without echo reaches only the recipient's log.
    HttpResponse<Buffer> fromBackend = call(ingest, HttpMethod.POST, "/v1/messages", null,
        new JsonObject().put("to", bob).put("from", alice).put("body", "from the shop"));
    assertThat(fromBackend.statusCode()).as(fromBackend.bodyAsString()).isEqualTo(201);
    String backendId = fromBackend.bodyAsJsonObject().getString("id");
    assertThat(ids(log(ingest, bobToken))).contains(backendId);
    assertThat(ids(log(ingest, aliceToken))).doesNotContain(backendId);

    // Transient: published (SPUBLISH on bob's shard), stored nowhere; nobody is connected.
    HttpResponse<Buffer> event = call(ingest, HttpMethod.POST, "/v1/messages", null,
        new JsonObject().put("to", bob).put("body", "refresh").put("transient", true));
    assertThat(event.statusCode()).as(event.bodyAsString()).isEqualTo(202);
    assertThat(event.bodyAsJsonObject().getInteger("delivered")).isZero();
  }

  @Test
  void channelMessagesAreStoredOnceInTheirChannelsSlot() {
    String channel = "show:" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<Buffer> published = call(ingest, HttpMethod.POST, "/v1/channels/" + channel + "/messages", null,
        new JsonObject().put("body", "seat 12 sold").put("clientMsgId", "ch-1"));
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    HttpResponse<Buffer> repeat = call(secondIngest, HttpMethod.POST, "/v1/channels/" + channel + "/messages", null,
        new JsonObject().put("body", "seat 12 sold").put("clientMsgId", "ch-1"));
    assertThat(repeat.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> history = call(secondIngest, HttpMethod.GET, "/v1/channels/" + channel + "/messages", null,
        null);
    assertThat(history.statusCode()).as(history.bodyAsString()).isEqualTo(200);
    assertThat(history.bodyAsJsonObject().getJsonArray("messages")).hasSize(1);
  }

  @Test
  void oneNodeOfTheClusterAsRedisUrlIsEnough() {
    Map<String, String> oneSeed = new HashMap<>(env);
    oneSeed.put("REDIS_URL", cluster.nodes().get(3).url());
    ServiceProcess node = start(oneSeed, "ingest-one-seed");
    List<String> users = usersOnEveryShard("seed");
    HttpResponse<Buffer> sent = send(node, token(users.get(0)), new JsonObject().put("to", users.get(2)).put("body", "hi"));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    assertThat(ids(log(ingest, token(users.get(2))))).containsExactly(sent.bodyAsJsonObject().getString("id"));
    assertThat(node.log()).content().contains("Redis: cluster (1 seed), sharded pub/sub");
  }

  @Test
  void editsRecallsAndReadMarkersReachEveryLogAcrossShards() {
    List<String> users = usersOnEveryShard("edit");
    String alice = users.get(0);
    String bob = users.get(1);
    String aliceToken = token(alice);
    String bobToken = token(bob);
    String id = send(ingest, aliceToken, new JsonObject().put("to", bob).put("body", "typo"))
        .bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> edited = call(secondIngest, HttpMethod.PATCH, "/v1/messages/" + id, aliceToken,
        new JsonObject().put("body", "fixed"));
    assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);
    for (String token : List.of(aliceToken, bobToken)) {
      JsonArray log = log(ingest, token);
      assertThat(bodyOf(log, id)).isEqualTo("fixed");
      assertThat(log.stream().map(JsonObject.class::cast).filter(entry -> "edit".equals(entry.getString("type"))))
          .hasSize(1);
    }
    assertThat(call(ingest, HttpMethod.PATCH, "/v1/messages/" + id, bobToken, new JsonObject().put("body", "mine"))
        .statusCode()).isEqualTo(403);

    HttpResponse<Buffer> conversations = call(ingest, HttpMethod.GET, "/v1/conversations", bobToken, null);
    JsonObject withAlice = conversations.bodyAsJsonObject().getJsonArray("conversations").getJsonObject(0);
    assertThat(withAlice.getString("id")).isEqualTo("u:" + alice);
    assertThat(withAlice.getInteger("unread")).isEqualTo(1);
    HttpResponse<Buffer> read = call(ingest, HttpMethod.POST, "/v1/conversations/u:" + alice + "/read", bobToken,
        new JsonObject().put("upTo", id));
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getInteger("unread")).isZero();

    HttpResponse<Buffer> recalled = call(ingest, HttpMethod.DELETE, "/v1/messages/" + id, aliceToken, null);
    assertThat(recalled.statusCode()).as(recalled.bodyAsString()).isEqualTo(200);
    for (String token : List.of(aliceToken, bobToken)) {
      JsonObject message = entry(log(ingest, token), id);
      assertThat(message.getBoolean("recalled")).isTrue();
      assertThat(message.containsKey("body")).isFalse();
    }
    assertThat(call(ingest, HttpMethod.DELETE, "/v1/messages/" + id, aliceToken, null).statusCode()).isEqualTo(404);
  }

  @Test
  void presenceOfUsersOnEveryShardInOneRead() {
    List<String> users = usersOnEveryShard("online");
    // A push node's bindings, written where a push node writes them: each in its user's slot.
    for (String uid : users.subList(0, 2)) {
      int port = cluster.primaryFor(RedisKeys.bindings(uid)).port();
      RespCommand.send(port, "SADD", RedisKeys.bindings(uid), "c-" + uid);
      RespCommand.send(port, "SET", RedisKeys.binding(uid, "c-" + uid), new JsonObject().put("node", "push-x")
          .put("id", "c-" + uid).put("transport", "ws").put("since", 1).encode(), "EX", "60");
    }
    HttpResponse<Buffer> presence = call(secondIngest, HttpMethod.GET, "/v1/presence?uids=" + String.join(",", users),
        null, null);
    assertThat(presence.statusCode()).as(presence.bodyAsString()).isEqualTo(200);
    JsonArray all = presence.bodyAsJsonObject().getJsonArray("presence");
    assertThat(all.stream().map(JsonObject.class::cast).map(one -> one.getString("uid"))).containsExactlyElementsOf(users);
    assertThat(all.stream().map(JsonObject.class::cast).map(one -> one.getBoolean("online")))
        .containsExactly(true, true, false);
  }

  private static JsonObject entry(JsonArray log, String id) {
    return log.stream().map(JsonObject.class::cast)
        .filter(entry -> "message".equals(entry.getString("type")) && id.equals(entry.getString("id")))
        .findFirst().orElseThrow();
  }

  private static Object bodyOf(JsonArray log, String id) {
    return entry(log, id).getValue("body");
  }

  @Test
  void aRoomAcrossEveryShardReachesEveryMemberOnce() {
    List<String> members = usersOnEveryShard("room");
    String room = "r-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<Buffer> created = call(ingest, HttpMethod.POST, "/v1/rooms", null,
        new JsonObject().put("id", room).put("members", new JsonArray(members)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String sender = members.get(0);
    HttpResponse<Buffer> sent = retryUntilStored(secondIngest,
        new JsonObject().put("room", room).put("body", "hello all").put("clientMsgId", "room-1"), token(sender));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    String id = sent.bodyAsJsonObject().getString("id");

    for (String member : members) {
      JsonArray log = log(ingest, token(member));
      assertThat(ids(log)).containsOnlyOnce(id);
      assertThat(log.stream().map(JsonObject.class::cast).filter(entry -> "member".equals(entry.getString("type"))))
          .as("the member event of %s", member).hasSize(1);
    }
    HttpResponse<Buffer> history = call(ingest, HttpMethod.GET, "/v1/rooms/" + room + "/messages", token(sender), null);
    assertThat(ids(history.bodyAsJsonObject().getJsonArray("messages"))).containsExactly(id);

    // Someone on another shard who is not a member is refused, and nothing is stored.
    String stranger = usersOnEveryShard("stranger").get(1);
    HttpResponse<Buffer> refused = send(ingest, token(stranger),
        new JsonObject().put("room", room).put("body", "let me in").put("clientMsgId", "s-1"));
    assertThat(refused.statusCode()).isEqualTo(403);

    // A member removed by the owner-less room's backend gets its event and no later message.
    String removed = members.get(2);
    assertThat(call(ingest, HttpMethod.DELETE, "/v1/rooms/" + room + "/members/" + removed, null, null).statusCode())
        .isEqualTo(200);
    String later = send(ingest, token(sender), new JsonObject().put("room", room).put("body", "after"))
        .bodyAsJsonObject().getString("id");
    assertThat(ids(log(ingest, token(removed)))).doesNotContain(later);
    assertThat(ids(log(ingest, token(members.get(1))))).contains(later);

    assertThat(call(secondIngest, HttpMethod.DELETE, "/v1/rooms/" + room, null, null).statusCode()).isEqualTo(200);
    assertThat(call(ingest, HttpMethod.GET, "/v1/rooms/" + room, null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aRetryCompletesAMessageStoredOnOneShardOnly() {
    List<String> users = usersOnEveryShard("partial");
    String alice = users.get(0);
    String bob = users.get(1);
    String aliceToken = token(alice);
    String bobToken = token(bob);
    JsonObject message = new JsonObject().put("to", bob).put("body", "once").put("clientMsgId", "p-1");

    RedisProcess bobsPrimary = cluster.primaryFor(RedisKeys.log(bob));
    String id = sentAcrossAFailover(bobsPrimary, aliceToken, message);
    assertThat(ids(log(ingest, aliceToken))).containsExactly(id);
    assertThat(ids(log(ingest, bobToken))).containsExactly(id);

    HttpResponse<Buffer> again = send(secondIngest, aliceToken, message);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(id);
    cluster.restart(bobsPrimary);
  }

  @Test
  void aRetryCompletesARoomMessageStoredOnSomeShardsOnly() {
    List<String> members = usersOnEveryShard("partial-room");
    String room = roomOnShardOf(members.get(0));
    HttpResponse<Buffer> created = call(ingest, HttpMethod.POST, "/v1/rooms", null,
        new JsonObject().put("id", room).put("members", new JsonArray(members)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String senderToken = token(members.get(0));
    JsonObject message = new JsonObject().put("room", room).put("body", "to all, once").put("clientMsgId", "pr-1");

    // The sender's and the room's shard stay up; the third member's primary dies.
    RedisProcess thirdPrimary = cluster.primaryFor(RedisKeys.log(members.get(2)));
    String id = sentAcrossAFailover(thirdPrimary, senderToken, message);
    for (String member : members) {
      assertThat(ids(log(ingest, token(member)))).as(member).containsExactly(id);
    }
    HttpResponse<Buffer> history = call(ingest, HttpMethod.GET, "/v1/rooms/" + room + "/messages", senderToken, null);
    assertThat(ids(history.bodyAsJsonObject().getJsonArray("messages"))).containsExactly(id);
    cluster.restart(thirdPrimary);
  }

  /** A fresh room id whose keys are on the same primary as {@code uid}'s. */
  private static String roomOnShardOf(String uid) {
    RedisProcess primary = cluster.primaryFor(RedisKeys.log(uid));
    while (true) {
      String room = "r-" + UUID.randomUUID().toString().substring(0, 8);
      if (cluster.primaryFor(RedisKeys.roomMeta(room)).equals(primary)) {
        return room;
      }
    }
  }

  /**
   * Sends {@code message} while {@code primary} is killed: {@code 503}, stored in the sender's log
   * (a shard that stayed up) only. Then, after the failover, the client's retries with the same
   * clientMsgId until {@code 201} with the first attempt's id, which is returned.
   */
  private String sentAcrossAFailover(RedisProcess primary, String token, JsonObject message) {
    cluster.killPrimary(primary);
    HttpResponse<Buffer> failed = send(ingest, token, message);
    assertThat(failed.statusCode()).as(failed.bodyAsString()).isEqualTo(503);
    List<String> partial = ids(log(ingest, token));
    assertThat(partial).as("stored in the sender's log, on a shard that was up").hasSize(1);

    cluster.awaitFailover(primary);
    HttpResponse<Buffer> retried = retryUntilStored(message, token);
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(201);
    assertThat(retried.bodyAsJsonObject().getString("id")).isEqualTo(partial.get(0));
    return partial.get(0);
  }

  /** The client's part: retry with the same clientMsgId while the cluster settles after a failover. */
  private HttpResponse<Buffer> retryUntilStored(JsonObject message, String token) {
    return retryUntilStored(ingest, message, token);
  }

  /**
   * The same through {@code node}. After an earlier test's failover a node may still route by its
   * old slot map and answer 503 until its next read of the map (once a second,
   * docs/operations.md#redis-cluster); a client retries with the same clientMsgId.
   */
  private HttpResponse<Buffer> retryUntilStored(ServiceProcess node, JsonObject message, String token) {
    HttpResponse<Buffer> response = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      response = send(node, token, message);
      if (response.statusCode() != 503) {
        return response;
      }
      vertx.timer(250).await();
    }
    return response;
  }

  @Test
  void oneBudgetAcrossTwoIngestNodes() {
    String sender = usersOnEveryShard("limited").get(0);
    String senderToken = token(sender);
    String to = usersOnEveryShard("target").get(1);
    int created = 0;
    int limited = 0;
    long started = System.nanoTime();
    for (int i = 0; i < BURST + 4; i++) {
      HttpResponse<Buffer> response = send(i % 2 == 0 ? ingest : secondIngest, senderToken,
          new JsonObject().put("to", to).put("body", i));
      if (response.statusCode() == 201) {
        created++;
      } else {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(429);
        assertThat(Integer.parseInt(response.getHeader("Retry-After"))).isGreaterThanOrEqualTo(1);
        limited++;
      }
    }
    long elapsedSec = (System.nanoTime() - started) / 1_000_000_000L;
    assertThat(limited).isPositive();
    assertThat(created).isBetween(BURST, BURST + 1 + (int) elapsedSec);
  }

  @Test
  void waitingForAReplicaAnswers503WhenItIsGoneAnd201WhenItIsBack() {
    List<String> users = usersOnEveryShard("wait");
    String alice = users.get(0);
    String bob = users.get(1);
    String aliceToken = token(alice);
    JsonObject message = new JsonObject().put("to", bob).put("body", "replicated").put("clientMsgId", "w-1");

    RedisProcess bobsReplica = cluster.replicasOf(cluster.primaryFor(RedisKeys.log(bob))).get(0);
    bobsReplica.kill();
    HttpResponse<Buffer> unconfirmed = send(waitingIngest, aliceToken, message);
    assertThat(unconfirmed.statusCode()).as(unconfirmed.bodyAsString()).isEqualTo(503);
    assertThat(unconfirmed.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unavailable");

    cluster.restart(bobsReplica);
    HttpResponse<Buffer> confirmed = send(waitingIngest, aliceToken, message);
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(201);
    assertThat(ids(log(ingest, token(bob)))).containsExactly(confirmed.bodyAsJsonObject().getString("id"));
    assertThat(ids(log(ingest, aliceToken))).containsExactly(confirmed.bodyAsJsonObject().getString("id"));
  }

  /** Three fresh users, one per primary, in the order of the primaries. */
  private static List<String> usersOnEveryShard(String name) {
    List<RedisProcess> primaries = cluster.primaries();
    String[] found = new String[primaries.size()];
    int missing = found.length;
    for (int i = 0; missing > 0; i++) {
      String uid = name + "-" + UUID.randomUUID().toString().substring(0, 8);
      int shard = primaries.indexOf(cluster.primaryFor(RedisKeys.log(uid)));
      if (found[shard] == null) {
        found[shard] = uid;
        missing--;
      }
    }
    return List.of(found);
  }

  private static String token(String uid) {
    return call(ingest, HttpMethod.POST, "/v1/tokens", null, new JsonObject().put("uid", uid).put("ttlSec", 3600))
        .bodyAsJsonObject().getString("token");
  }

  private static HttpResponse<Buffer> send(ServiceProcess node, String token, JsonObject message) {
    return call(node, HttpMethod.POST, "/v1/messages", token, message);
  }

  private static JsonArray log(ServiceProcess node, String token) {
    HttpResponse<Buffer> response = call(node, HttpMethod.GET, "/v1/messages?limit=1000", token, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("messages");
  }

  /** The ids of the chat messages in a page (member events and receipts left out). */
  private static List<String> ids(JsonArray entries) {
    return entries.stream().map(JsonObject.class::cast).filter(entry -> "message".equals(entry.getString("type")))
        .map(entry -> entry.getString("id")).toList();
  }

  /** As a user ({@code token}), or as the backend when {@code token} is null. */
  private static HttpResponse<Buffer> call(ServiceProcess node, HttpMethod method, String path, String token,
      JsonObject body) {
    HttpRequest<Buffer> request = http.request(method, node.port(), "127.0.0.1", path);
    if (token == null) {
      request.putHeader("X-Api-Key", API_KEY);
    } else {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return body == null ? request.send().await() : request.sendJsonObject(body).await();
  }
}
