package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.e2e.RelayHttp.As;
import io.relay.push.PushNode;
import io.relay.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Measures room fan-out (issue 4): one {@code POST /v1/messages} to a room of {@value #MEMBERS}
 * members, each with one WebSocket, split over two push nodes. Prints the time to store (the
 * 201) and until every member's socket has the message. Not part of {@code mvn verify} (the name
 * does not end in IT) and asserts no timing; run it by hand:
 * {@code mvn -o -q -B verify -pl e2e-tests -am -Dit.test=FanOutBench -Dtest='NoSuch*'
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}
 */
class FanOutBench {

  static final int MEMBERS = 1000;
  static final int RUNS = 3;

  @Test
  void postToAThousandMemberRoom() {
    try (TestRedis redis = TestRedis.start();
        RelayStack relay = new RelayStack(redis, Map.of("RELAY_MAX_ROOM", Integer.toString(MEMBERS)))) {
      PushNode second = relay.addPushNode();
      RelayHttp api = new RelayHttp(relay);
      String room = RelayStack.newUser("bench");
      List<String> members = IntStream.range(0, MEMBERS).mapToObj(i -> room + "-m" + i).toList();
      long created = System.nanoTime();
      api.createRoom(As.backend(), room, members.toArray(String[]::new));
      System.out.printf("FANOUT create room with %d members: %d ms%n", MEMBERS, (System.nanoTime() - created) / 1_000_000);

      Vertx clients = Vertx.vertx();
      Map<String, Map<String, Long>> arrivals = new ConcurrentHashMap<>();
      WebSocketClient ws = clients.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(MEMBERS * 2));
      List<Future<?>> hellos = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        PushNode node = i % 2 == 0 ? relay.push : second;
        String uri = "/v1/ws?token=" + relay.token(members.get(i));
        hellos.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI(uri)
            .setAllowOriginHeader(false))
            .compose(socket -> {
              var hello = io.vertx.core.Promise.promise();
              socket.textMessageHandler(text -> {
                JsonObject frame = new JsonObject(text);
                if ("hello".equals(frame.getString("type"))) {
                  hello.tryComplete();
                } else if ("message".equals(frame.getString("type"))) {
                  arrivals.computeIfAbsent(frame.getString("id"), id -> new ConcurrentHashMap<>())
                      .put(socket.toString(), System.nanoTime());
                }
              });
              return hello.future();
            }));
      }
      Future.all(hellos).await();
      System.out.printf("FANOUT %d sockets connected (%d + %d per node)%n", MEMBERS, relay.push.connections(),
          second.connections());

      List<long[]> runs = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        As sender = As.user(relay.token(members.get(run)));
        long start = System.nanoTime();
        String id = api.postToRoom(sender, room, "bench " + run);
        long stored = System.nanoTime() - start;
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
            .until(() -> arrivals.getOrDefault(id, Map.of()).size() == MEMBERS);
        List<Long> times = arrivals.get(id).values().stream().map(t -> t - start).sorted().toList();
        runs.add(new long[] {stored, times.get(MEMBERS / 2), times.get(MEMBERS - 1)});
        System.out.printf("FANOUT run %d: stored (201) %.1f ms, median member %.1f ms, last member %.1f ms%n", run + 1,
            stored / 1e6, times.get(MEMBERS / 2) / 1e6, times.get(MEMBERS - 1) / 1e6);
      }
      System.out.printf("FANOUT median of %d runs: stored %.1f ms, median member %.1f ms, all %d members %.1f ms%n",
          RUNS, median(runs, 0) / 1e6, median(runs, 1) / 1e6, MEMBERS, median(runs, 2) / 1e6);
      assertThat(runs).hasSize(RUNS);
      clients.close().await();
    }
  }

  private static long median(List<long[]> runs, int column) {
    return runs.stream().mapToLong(r -> r[column]).sorted().toArray()[runs.size() / 2];
  }
}
