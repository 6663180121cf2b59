package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.testing.TestRedis;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A push node's event loop subscribes a user's channel once, however many connections the user
 * has on it, and drops it with the last (one loop here; EventLoopsIT spreads them over several).
 */
class SharedSubscriptionIT {

  static TestRedis redis;
  static RelayStack relay;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayStack(redis, Map.of("RELAY_EVENT_LOOPS", "1"));
  }

  @AfterAll
  static void stop() {
    relay.close();
    redis.close();
  }

  @Test
  void closingEveryConnectionOfAUserDropsItsSubscription() {
    String token = relay.token(RelayStack.newUser("bob"));
    WsClient first = relay.connect(token);
    WsClient second = relay.connect(token);
    first.hello();
    second.hello();
    assertThat(relay.push.subscriptions()).isEqualTo(1);
    first.close();
    await().atMost(WsClient.WAIT).until(() -> relay.push.connections() == 1);
    assertThat(relay.push.subscriptions()).isEqualTo(1);
    second.close();
    await().atMost(WsClient.WAIT).until(() -> relay.push.connections() == 0 && relay.push.subscriptions() == 0);
  }
}
