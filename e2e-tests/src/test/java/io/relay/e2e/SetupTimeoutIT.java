package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.CloseCode;
import io.relay.model.RedisKeys;
import io.relay.testing.RedisProcess;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a connection whose live subscription is not armed within {@code RELAY_REDIS_TIMEOUT_MS}
 * is closed with 1013, and everything it took is given back exactly, whatever thread the timeout
 * would otherwise fire on. Only the pub/sub link is held off here (Redis refuses it a new
 * connection), so the arming timeout is what fails the set-up, while bindings and cursors work.
 */
class SetupTimeoutIT {

  @Test
  void connectionsWhoseSubscriptionIsNotArmedInTimeGiveEverythingBack() {
    try (RedisProcess redis = RedisProcess.start();
        // One event loop: one pub/sub link to hold off (each loop has its own).
        RelayStack relay = new RelayStack(redis, Map.of("RELAY_REDIS_TIMEOUT_MS", "500", "RELAY_EVENT_LOOPS", "1"))) {
      // One connection of its own: a pooled client could need a new one while Redis refuses them.
      RedisConnection admin = Redis.createClient(relay.vertx, redis.url()).connect().await();
      String alice = RelayStack.newUser("alice");
      String aliceToken = relay.token(alice);
      String senderToken = relay.token(RelayStack.newUser("sender"));
      List<String> users = IntStream.range(0, 20).mapToObj(i -> RelayStack.newUser("late")).toList();
      List<String> tokens = users.stream().map(relay::token).toList();
      warmRedisPools(relay, tokens, senderToken);
      try (WsClient first = relay.connect(aliceToken)) {
        first.hello();

        holdOffThePubSubLink(admin);
        relay.sendText(senderToken, alice, "while the link is down");
        List<String> lateTokens = new ArrayList<>(tokens);
        IntStream.range(0, 5).forEach(i -> lateTokens.add(aliceToken)); // more devices of a held user
        // Five at a time: the node's Redis pool must not need a connection Redis would refuse now.
        for (int from = 0; from < lateTokens.size(); from += 5) {
          List<WsClient> late = lateTokens.subList(from, from + 5).stream().map(relay::connect).toList();
          for (WsClient client : late) {
            assertThat(client.awaitClose()).isEqualTo(CloseCode.TRY_AGAIN_LATER.code());
            assertThat(client.frames()).as("no hello for a connection that could not be armed").isEmpty();
          }
        }
        await().until(() -> relay.push.connections() == 1 && relay.push.subscriptions() == 1);
        await().until(() -> users.stream().allMatch(uid -> setSize(admin, RedisKeys.bindings(uid)) == 0));

        admin.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxclients").arg("10000")).await();
        relay.sendText(senderToken, alice, "after");
        assertThat(first.awaitMessages(2)).extracting(m -> m.getJsonObject("body").getString("text"))
            .containsExactly("while the link is down", "after");
        try (WsClient again = relay.connect(tokens.get(0))) {
          again.hello();
          assertThat(relay.push.connections()).isEqualTo(2);
          assertThat(relay.push.subscriptions()).isEqualTo(2);
        }
      }
      await().until(() -> relay.push.connections() == 0 && relay.push.subscriptions() == 0);
    }
  }

  /**
   * Opens and closes a connection for every token at once, and sends one message, so the push
   * and ingest nodes' Redis pools hold their connections before Redis stops accepting new ones.
   */
  private static void warmRedisPools(RelayStack relay, List<String> tokens, String senderToken) {
    List<WsClient> clients = tokens.stream().map(relay::connect).toList();
    clients.forEach(WsClient::hello);
    clients.forEach(WsClient::close);
    relay.sendText(senderToken, RelayStack.newUser("nobody"), "warm-up");
    await().until(() -> relay.push.connections() == 0 && relay.push.subscriptions() == 0);
  }

  /** Drops the pub/sub connection and has Redis refuse every new connection until maxclients is raised. */
  private static void holdOffThePubSubLink(RedisConnection admin) {
    String clients = admin.send(Request.cmd(Command.INFO).arg("clients")).await().toString();
    long connected = clients.lines().filter(line -> line.startsWith("connected_clients:"))
        .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow();
    admin.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxclients").arg(connected - 1)).await();
    assertThat(admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("pubsub")).await().toInteger())
        .isEqualTo(1);
  }

  private static long setSize(RedisConnection admin, String key) {
    return admin.send(Request.cmd(Command.SCARD).arg(key)).await().toLong();
  }
}
