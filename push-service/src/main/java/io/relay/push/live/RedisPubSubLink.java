package io.relay.push.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PubSubLink} over a Redis connection in subscriber mode. Only pub/sub commands are sent
 * on it (the client pairs no reply with them; every reply comes to the message handler), so the
 * probe is an {@code UNSUBSCRIBE} of a channel nobody subscribes: Redis answers it and nothing
 * changes.
 */
final class RedisPubSubLink implements PubSubLink {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPubSubLink.class);
  static final String PROBE_CHANNEL = "relay:probe";

  private final Redis client;

  RedisPubSubLink(Vertx vertx, RedisOptions options) {
    // Two: a connection dropped here may still hold its pool slot while the next one opens.
    this.client = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(2));
  }

  @Override
  public Future<Connection> connect(Events events) {
    return client.connect().map(connection -> {
      connection.handler(reply -> onReply(reply, events));
      connection.endHandler(v -> events.onLost("connection closed"));
      connection.exceptionHandler(e -> events.onLost(e.toString()));
      return new Subscribed(connection);
    });
  }

  @Override
  public void close() {
    client.close();
  }

  private static void onReply(Response reply, Events events) {
    if (reply == null || reply.size() < 3) {
      return;
    }
    String kind = reply.get(0).toString();
    String channel = reply.get(1).toString();
    if ("message".equals(kind)) {
      events.onMessage(channel, reply.get(2).toString());
    } else if ("subscribe".equals(kind)) {
      events.onSubscribed(channel);
    } else if ("unsubscribe".equals(kind) && PROBE_CHANNEL.equals(channel)) {
      events.onProbeAnswered();
    }
  }

  private record Subscribed(RedisConnection connection) implements Connection {

    @Override
    public void subscribe(List<String> channels) {
      send(Command.SUBSCRIBE, channels);
    }

    @Override
    public void unsubscribe(List<String> channels) {
      send(Command.UNSUBSCRIBE, channels);
    }

    @Override
    public void probe() {
      send(Command.UNSUBSCRIBE, List.of(PROBE_CHANNEL));
    }

    @Override
    public void close() {
      connection.close();
    }

    private void send(Command command, List<String> channels) {
      Request request = Request.cmd(command);
      channels.forEach(request::arg);
      connection.send(request).onFailure(e -> LOG.warn("{} failed: {}", command, e.toString()));
    }
  }
}
