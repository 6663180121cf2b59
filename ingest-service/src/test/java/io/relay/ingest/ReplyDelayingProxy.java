package io.relay.ingest;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.URI;

/**
 * A TCP proxy in front of a Redis that passes commands on at once and holds Redis's replies back
 * by {@link #delayRepliesMs}: Redis runs a script in time, and its reply reaches the node late (a
 * slow fsync, a pause on the way back).
 */
final class ReplyDelayingProxy implements AutoCloseable {

  private final Vertx vertx;
  private final NetServer server;
  private volatile long delayMs;

  ReplyDelayingProxy(Vertx vertx, String redisUrl) {
    this.vertx = vertx;
    URI target = URI.create(redisUrl);
    server = vertx.createNetServer().connectHandler(client -> relay(client, target.getHost(), target.getPort()));
    IngestHarness.await(server.listen(0, "127.0.0.1"));
  }

  /** The URL a node uses to reach Redis through this proxy. */
  String url() {
    return "redis://127.0.0.1:" + server.actualPort();
  }

  /** From now on, every reply chunk reaches the node this much later (replies stay in order). */
  void delayRepliesMs(long delay) {
    delayMs = delay;
  }

  private void relay(NetSocket client, String host, int port) {
    client.pause();
    vertx.createNetClient().connect(port, host).onSuccess(redis -> {
      long[] releaseAt = {0};
      client.handler(redis::write);
      redis.handler(reply -> {
        long now = System.currentTimeMillis();
        releaseAt[0] = Math.max(releaseAt[0], now + delayMs);
        long wait = releaseAt[0] - now;
        Buffer copy = reply.copy();
        if (wait <= 0) {
          client.write(copy);
        } else {
          vertx.setTimer(wait, id -> client.write(copy));
        }
      });
      client.closeHandler(v -> redis.close());
      redis.closeHandler(v -> client.close());
      client.resume();
    }).onFailure(e -> client.close());
  }

  @Override
  public void close() {
    IngestHarness.await(server.close());
  }
}
