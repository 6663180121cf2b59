package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Clients connect while messages keep arriving: the replay-to-live handover must not drop,
 * repeat or reorder a single entry, whichever of the log read and the pub/sub message wins.
 */
class HandoverIT {

  static final int MESSAGES = 300;

  static TestRedis redis;
  static RelayStack relay;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    // One user sends MESSAGES at once: the per-user send limit is off here.
    relay = new RelayStack(redis, Map.of("RELAY_RATE_USER_PER_SEC", "0"));
  }

  @AfterAll
  static void stop() {
    relay.close();
    redis.close();
  }

  @RepeatedTest(3)
  void clientsJoiningMidStreamSeeEveryMessageOnceInOrder() {
    String bob = RelayStack.newUser("bob");
    String bobToken = relay.token(bob);
    String aliceToken = relay.token(RelayStack.newUser("alice"));
    List<Future<?>> sends = new ArrayList<>();
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < MESSAGES; i++) {
        sends.add(relay.http.post(relay.ingest.port(), "127.0.0.1", "/v1/messages")
            .putHeader("Authorization", "Bearer " + aliceToken)
            .sendJsonObject(new JsonObject().put("to", bob).put("body", i)));
        if (i % 60 == 30) {
          // Join while earlier posts are still in flight: some entries come by replay, some live.
          clients.add(relay.connect(relay.push, bobToken, "&since=0&device=d" + i));
        }
      }
      Future.all(sends).await();
      List<Integer> expected = IntStream.range(0, MESSAGES).boxed().toList();
      List<Integer> stored = storedFor(bobToken);
      assertThat(stored).containsExactlyInAnyOrderElementsOf(expected);
      for (WsClient client : clients) {
        List<Integer> received = client.awaitMessages(MESSAGES).stream().map(m -> m.getInteger("body")).toList();
        assertThat(received).as("every entry once, in log order").containsExactlyElementsOf(stored);
      }
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  /** The bodies in the user's log, in log order, read page by page (a page holds at most 100). */
  private static List<Integer> storedFor(String token) {
    List<Integer> bodies = new ArrayList<>();
    String since = "0";
    while (true) {
      JsonObject page = relay.http.get(relay.ingest.port(), "127.0.0.1", "/v1/messages?since=" + since)
          .putHeader("Authorization", "Bearer " + token).send().await().bodyAsJsonObject();
      if (page.getJsonArray("messages").isEmpty()) {
        return bodies;
      }
      page.getJsonArray("messages").forEach(m -> bodies.add(((JsonObject) m).getInteger("body")));
      since = page.getString("next");
    }
  }
}
