package io.relay.push.live;

import io.relay.service.ShardMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PubSubLink} to a Redis Cluster with sharded pub/sub: each connection asks a node for the
 * slot map ({@code CLUSTER SLOTS}: the node that answered last time, then the seeds of
 * {@code REDIS_URL} and every primary seen before, in turn, until one answers), then subscribes
 * each channel on the primary of its slot through a {@link ShardedConnection}. A single cluster
 * client connection would not do: it subscribes on one node only and sees only that shard's
 * {@code SPUBLISH}es. Used from the subscriber's event loop only.
 */
final class ShardedPubSubLink implements PubSubLink, ShardSockets {

  private static final Logger LOG = LoggerFactory.getLogger(ShardedPubSubLink.class);

  private final Vertx vertx;
  private final RedisOptions base;
  private final String seed;
  private final Set<String> known = new LinkedHashSet<>();
  /** One small client per node, for its subscriber connection and slot map queries. */
  private final Map<String, Redis> clients = new HashMap<>();
  private String lastAnswered;
  private boolean closed;

  ShardedPubSubLink(Vertx vertx, RedisOptions options) {
    this.vertx = vertx;
    this.base = options;
    List<String> seeds = options.getEndpoints();
    this.seed = seeds.get(0);
    seeds.forEach(url -> known.add(ShardMap.address(url)));
  }

  @Override
  public Future<Connection> connect(Events events) {
    List<String> candidates = new ArrayList<>();
    if (lastAnswered != null) {
      candidates.add(lastAnswered); // most likely up: a dead seed would cost a connect timeout first
    }
    known.stream().filter(endpoint -> !endpoint.equals(lastAnswered)).forEach(candidates::add);
    return slotMap(candidates, 0)
        .map(slots -> new ShardedConnection(slots, this, events));
  }

  @Override
  public Future<Socket> open(String endpoint, Consumer<Reply> replies, Consumer<String> lost) {
    return client(endpoint).connect().map(connection -> {
      connection.handler(reply -> onReply(reply, replies));
      connection.endHandler(v -> lost.accept("connection closed"));
      connection.exceptionHandler(e -> lost.accept(e.toString()));
      return new NodeSocket(connection);
    });
  }

  @Override
  public void close() {
    closed = true;
    clients.values().forEach(Redis::close);
    clients.clear();
  }

  /** The map as the first of {@code candidates} (from {@code index} on) that answers gives it. */
  private Future<ShardMap> slotMap(List<String> candidates, int index) {
    if (closed) {
      return Future.failedFuture("closed");
    }
    if (index >= candidates.size()) {
      return Future.failedFuture("no cluster node answered CLUSTER SLOTS (tried " + candidates + ")");
    }
    String endpoint = candidates.get(index);
    return client(endpoint).send(Request.cmd(Command.CLUSTER).arg("SLOTS"))
        .map(reply -> ShardMap.parse(reply, endpoint))
        .compose(slots -> slots.primaries().isEmpty()
            ? Future.failedFuture(endpoint + " serves no slots yet")
            : Future.succeededFuture(slots))
        .onSuccess(slots -> {
          known.addAll(slots.primaries());
          lastAnswered = endpoint;
        })
        .recover(e -> {
          LOG.debug("slot map from {} failed: {}", endpoint, e.toString());
          return slotMap(candidates, index + 1);
        });
  }

  private Redis client(String endpoint) {
    return clients.computeIfAbsent(endpoint, e -> Redis.createClient(vertx, new RedisOptions(base)
        .setType(RedisClientType.STANDALONE)
        .setEndpoints(new ArrayList<>(List.of(ShardMap.uri(seed, e))))
        // Two: a connection dropped here may still hold its pool slot while the next one opens.
        .setMaxPoolSize(2)));
  }

  private static void onReply(Response reply, Consumer<Reply> replies) {
    if (reply == null) {
      return;
    }
    if (reply.type() == ResponseType.ERROR) {
      replies.accept(new Reply("error", null, reply.toString()));
      return;
    }
    if (reply.size() < 3) {
      return;
    }
    Response third = reply.get(2);
    String payload = third == null ? null : third.toString();
    replies.accept(new Reply(reply.get(0).toString(), reply.get(1).toString(), payload));
  }

  /** A node connection in subscriber mode; closing it twice closes it once. */
  private static final class NodeSocket implements Socket {

    private final RedisConnection connection;
    private boolean closed;

    NodeSocket(RedisConnection connection) {
      this.connection = connection;
    }

    @Override
    public void send(Command command, List<String> args) {
      Request request = Request.cmd(command);
      args.forEach(request::arg);
      connection.send(request).onFailure(e -> LOG.warn("{} failed: {}", command, e.toString()));
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        connection.close();
      }
    }
  }
}
