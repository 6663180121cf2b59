package io.relay.push.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.push.live.NodePayload.Recipient;
import io.relay.push.store.Bindings;
import io.relay.service.RedisGateway;
import io.relay.testing.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The room script's routing against a real redis-server: one PUBLISH per node named in the
 * members' bindings, each listing exactly that node's members with the seq of their own log.
 */
class NodeRoutingIT {

  static RedisProcess server;
  static Vertx vertx;
  static RedisGateway redis;
  static RedisConnection subscriber;
  static final Map<String, List<String>> published = new ConcurrentHashMap<>();
  static final AtomicInteger confirmed = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = RedisProcess.start();
    vertx = Vertx.vertx();
    Counter errors = Counter.builder("errors").register(new SimpleMeterRegistry());
    redis = new RedisGateway(Redis.createClient(vertx, server.url()), 5000, errors);
    subscriber = Redis.createClient(vertx, server.url()).connect().await();
    subscriber.handler(reply -> {
      if (reply.size() >= 3 && "subscribe".equals(reply.get(0).toString())) {
        confirmed.incrementAndGet();
      }
      if (reply.size() >= 3 && "message".equals(reply.get(0).toString())) {
        published.computeIfAbsent(reply.get(1).toString(), c -> new CopyOnWriteArrayList<>())
            .add(reply.get(2).toString());
      }
    });
    subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.nodeLive("push-a")).arg(RedisKeys.nodeLive("push-b"))
        .arg(RedisKeys.liveChannel("ann")).arg(RedisKeys.liveChannel("ben"))).await();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> confirmed.get() == 4);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  @Test
  void aRoomMessageIsPublishedOncePerNodeHoldingMembersWithEachMembersOwnSeq() {
    String room = "r1";
    List<String> members = List.of("ann", "ben", "cid", "dee");
    send(Command.HSET, RedisKeys.roomMeta(room), "owner", "", "created", "1");
    members.forEach(uid -> send(Command.SADD, RedisKeys.roomMembers(room), uid));
    send(Command.XADD, RedisKeys.log("ben"), "*", "m", "{\"type\":\"message\",\"id\":\"older\"}"); // ben's seqs differ
    Bindings onA = new Bindings(redis, "push-a", 60_000);
    Bindings onB = new Bindings(redis, "push-b", 60_000);
    Future.all(List.of(
        onA.bind("ann", "c1", "ws", 1, 0, null), onA.bind("ann", "c2", "sse", 1, 0, null), // two devices, one node
        onA.bind("ben", "c3", "ws", 1, 0, null), onB.bind("ben", "c4", "ws", 1, 0, null), // one device per node
        onB.bind("cid", "c5", "poll", 1, 0, null))).await();                     // dee: offline
    send(Command.SADD, RedisKeys.bindings("dee"), "gone"); // a binding whose key expired

    String json = "{\"type\":\"message\",\"id\":\"m1\",\"from\":null,\"to\":null,\"room\":\"r1\",\"body\":\"hi\",\"ts\":1}";
    Response reply = redis.eval(LuaScript.STORE_ROOM_MESSAGE,
        List.of(RedisKeys.roomMeta(room), RedisKeys.roomMembers(room), RedisKeys.roomHistory(room),
            RedisKeys.roomIds(room), RedisKeys.roomEdits(room),
            RedisKeys.roomMeta(room), RedisKeys.backendRate("test"), RedisKeys.messageLocator("m1")),
        List.of(Long.toString(System.currentTimeMillis() + 5000), "86400", "1000", "604800000", "r:" + room, "1",
            "0", "m1", json, "", "0", "0", "0", "\t\t" + room + "\t1"))
        .await();
    assertThat(reply.get(0).toString()).isEqualTo("ok");
    assertThat(reply.get(1).toInteger()).isEqualTo(4);

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> published.containsKey(RedisKeys.nodeLive("push-a"))
        && published.containsKey(RedisKeys.nodeLive("push-b")));
    List<String> toA = published.get(RedisKeys.nodeLive("push-a"));
    List<String> toB = published.get(RedisKeys.nodeLive("push-b"));
    assertThat(toA).hasSize(1);
    assertThat(toB).hasSize(1);
    NodePayload a = NodePayload.parse(toA.get(0));
    NodePayload b = NodePayload.parse(toB.get(0));
    assertThat(a.json()).isEqualTo(json);
    assertThat(b.json()).isEqualTo(json);
    assertThat(a.recipients()).containsExactlyInAnyOrder(recipient("ann"), recipient("ben"));
    assertThat(b.recipients()).containsExactlyInAnyOrder(recipient("ben"), recipient("cid"));
    assertThat(newestSeq("dee")).as("offline members get it in their log").isNotNull();
    assertThat(published).doesNotContainKeys(RedisKeys.liveChannel("ann"), RedisKeys.liveChannel("ben"));
  }

  private static Recipient recipient(String uid) {
    return new Recipient(uid, newestSeq(uid));
  }

  private static Seq newestSeq(String uid) {
    Response newest = send(Command.XREVRANGE, RedisKeys.log(uid), "+", "-", "COUNT", "1");
    return newest.size() == 0 ? null : Seq.parse(newest.get(0).get(0).toString());
  }

  private static Response send(Command command, String... args) {
    Request request = Request.cmd(command);
    for (String arg : args) {
      request.arg(arg);
    }
    return redis.send(request).await();
  }
}
