package io.relay.service;

import io.relay.model.HashSlot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.RequestImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster client made of one pooled client per primary, each command (or batch) sent to the
 * primary that serves its keys' hash slot ({@link ShardMap}, read with {@code CLUSTER SLOTS} at
 * startup, every {@link #REFRESH_MS} ms and after a {@code MOVED}). Unlike the Vert.x cluster client,
 * which opens a connection to every node for every call, a node that is down fails only the calls
 * for its own slots: the other shards keep storing while a failover runs. A {@code MOVED} reply is
 * followed once to the node it names; {@code ASK} (a slot being migrated) once with
 * {@code ASKING}. A batch must keep to one primary's slots. {@link #connect()} is not offered.
 */
final class ShardedRedis implements Redis {

  private static final Logger LOG = LoggerFactory.getLogger(ShardedRedis.class);
  /** How often the slot map is read again, as the Vert.x cluster client does by default. */
  static final long REFRESH_MS = 1000;

  private final Vertx vertx;
  private final SharedConfig config;
  /** The URL whose scheme and credentials every node is reached with. */
  private final String seed;
  /** The seeds' {@code host:port} addresses. */
  private final List<String> seeds;
  private final Map<String, Redis> clients = new ConcurrentHashMap<>();
  private final long timer;
  private volatile ShardMap map;
  private Future<ShardMap> loading;

  ShardedRedis(Vertx vertx, SharedConfig config, List<String> seeds) {
    this.vertx = vertx;
    this.config = config;
    this.seed = seeds.get(0);
    this.seeds = seeds.stream().map(ShardMap::address).toList();
    this.timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
  }

  /** The slot map now (loading it first when there is none yet). */
  Future<ShardMap> shards() {
    ShardMap known = map;
    return known != null ? Future.succeededFuture(known) : refresh();
  }

  /** Reads the slot map again from a known primary or a seed (one load at a time). */
  synchronized Future<ShardMap> refresh() {
    if (loading == null) {
      List<String> candidates = new ArrayList<>();
      if (map != null) {
        candidates.addAll(map.primaries());
      }
      candidates.addAll(seeds);
      loading = load(candidates, 0).andThen(done -> {
        synchronized (this) {
          loading = null;
        }
        if (done.succeeded()) {
          map = done.result();
        }
      });
    }
    return loading;
  }

  private Future<ShardMap> load(List<String> candidates, int index) {
    String endpoint = candidates.get(index);
    Future<ShardMap> loaded = client(endpoint).send(Request.cmd(Command.CLUSTER).arg("SLOTS"))
        .map(reply -> ShardMap.parse(reply, endpoint));
    return index + 1 < candidates.size() ? loaded.recover(e -> load(candidates, index + 1)) : loaded;
  }

  /** The pooled client for the node at {@code address} ({@code host:port}). */
  private Redis client(String address) {
    return clients.computeIfAbsent(address, a -> Redis.createClient(vertx,
        RedisFactory.options(config, RedisMode.single(ShardMap.uri(seed, a)))));
  }

  /** Sends {@code command} to the primary at {@code address} ({@code host:port}), whatever its keys. */
  Future<Response> sendTo(String address, Request command) {
    return client(address).send(command);
  }

  @Override
  public Future<Response> send(Request command) {
    return routed(List.of(command), client -> client.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return routed(commands, client -> client.batch(commands));
  }

  /** Sends to the primary of the first keyed command; follows one MOVED or ASK. */
  private <T> Future<T> routed(List<Request> commands, Function<Redis, Future<T>> call) {
    return shards().compose(shards -> {
      String endpoint = endpointOf(shards, commands);
      if (endpoint == null) {
        return Future.failedFuture("CROSSSLOT or unserved slot: the keys of this call are not on one primary");
      }
      return call.apply(client(endpoint)).recover(e -> redirected(e, commands, call));
    });
  }

  private <T> Future<T> redirected(Throwable failure, List<Request> commands, Function<Redis, Future<T>> call) {
    String message = String.valueOf(failure.getMessage());
    boolean moved = message.contains("MOVED ");
    boolean ask = message.contains("ASK ") && commands.size() == 1;
    if (!moved && !ask) {
      if (!(failure instanceof io.vertx.redis.client.impl.types.ErrorType)) {
        refresh(); // a node unreachable: perhaps failed over
      }
      return Future.failedFuture(failure);
    }
    String target = target(message, moved ? "MOVED " : "ASK ");
    LOG.debug("{}: following to {}", moved ? "MOVED" : "ASK", target);
    if (moved) {
      refresh();
      return call.apply(client(target));
    }
    return client(target).batch(List.of(Request.cmd(Command.ASKING), commands.get(0)))
        .map(replies -> {
          @SuppressWarnings("unchecked")
          T reply = (T) replies.get(1);
          return reply;
        });
  }

  /** The {@code host:port} a MOVED / ASK reply names. */
  private static String target(String message, String word) {
    return message.substring(message.indexOf(word) + word.length()).trim().split("\\s+")[1];
  }

  /** The primary for these commands: the first keyed one's; null when their keys span primaries. */
  private static String endpointOf(ShardMap shards, List<Request> commands) {
    String endpoint = null;
    for (Request command : commands) {
      for (byte[] key : ((RequestImpl) command).keys()) {
        String owner = shards.ownerOf(HashSlot.of(key));
        if (owner == null || endpoint != null && !endpoint.equals(owner)) {
          return null;
        }
        endpoint = owner;
      }
    }
    if (endpoint == null) {
      List<String> primaries = shards.primaries();
      return primaries.get(ThreadLocalRandom.current().nextInt(primaries.size()));
    }
    return endpoint;
  }

  @Override
  public Future<RedisConnection> connect() {
    return Future.failedFuture(new UnsupportedOperationException(
        "a connection to a whole cluster is not offered: send commands, or batches within one primary's slots"));
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    List<Future<Void>> closed = clients.values().stream().map(Redis::close).toList();
    return Future.join(closed).mapEmpty();
  }
}
