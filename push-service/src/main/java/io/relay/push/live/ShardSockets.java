package io.relay.push.live;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import java.util.List;
import java.util.function.Consumer;

/**
 * Opens subscriber connections to single cluster nodes for {@link ShardedConnection}: a seam, so
 * its routing and bookkeeping can be tested without Redis.
 */
interface ShardSockets {

  /** One reply over a subscriber connection: {@code kind} is the pub/sub kind, or {@code error}. */
  record Reply(String kind, String channel, String payload) {
  }

  /** One open connection to one node. */
  interface Socket {

    void send(Command command, List<String> args);

    void close();
  }

  /**
   * Connects to {@code endpoint} ({@code host:port}); its replies go to {@code replies}, and
   * {@code lost} hears once when it ends.
   */
  Future<Socket> open(String endpoint, Consumer<Reply> replies, Consumer<String> lost);
}
