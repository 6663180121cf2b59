package io.relay.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.relay.model.HashSlot;
import io.relay.model.LuaScript;
import io.relay.model.PubSubMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every command a service sends through the pooled client goes through here: bounded by the
 * Redis timeout, counted when it fails, and failed with {@code 503 unavailable} so no caller
 * waits for a Redis that is gone. It knows the {@link RedisMode}: on a Redis Cluster the scripts
 * publish with {@code SPUBLISH} ({@link LuaScript#in}) and batches of keys in several slots are
 * split. Stores ({@link #store}, {@link #storeAll}) wait for {@code RELAY_REDIS_WAIT_REPLICAS}
 * replicas when that is set.
 */
public final class RedisGateway {

  private static final Logger LOG = LoggerFactory.getLogger(RedisGateway.class);
  /** The node key of {@link #scriptsOn} on one Redis. */
  private static final String ONE_SERVER = "";
  /** The node key of {@link #scriptsOn} for calls on slots no primary serves (they fail anyway). */
  private static final String UNSERVED = "?";
  private static final Pattern CONNECTED_REPLICAS = Pattern.compile("connected_slaves:(\\d+)");
  /** The replica check runs once per process, however many verticles connect. */
  private static final AtomicBoolean REPLICAS_CHECKED = new AtomicBoolean();
  private static final Pattern FAILED_CALL = Pattern.compile("ERR \\[\\d+\\]\\s*NOSCRIPT");
  /** How often the offset between this node's clock and Redis's is measured again. */
  static final long CLOCK_SYNC_INTERVAL_MS = 30_000;

  private final Redis redis;
  private final RedisMode mode;
  private final int waitReplicas;
  /** The cluster client (one pool per primary), null on one Redis. */
  private final ShardedRedis shards;
  private final long timeoutMs;
  private final Counter errors;
  private final RedisClock clock;
  private final Timer latency;
  /** The SHA-1s of the scripts each primary ({@code host:port}) is known to hold. */
  private final Map<String, Set<String>> scriptsOn = new ConcurrentHashMap<>();

  /**
   * A pooled client for {@code config}, bounded by its Redis timeout, timing every call and
   * counting failures in {@code metrics}.
   */
  public static RedisGateway create(Vertx vertx, SharedConfig config, RelayMetrics metrics) {
    return create(vertx, config, metrics, System::currentTimeMillis);
  }

  /**
   * The same with this node's clock given ({@code nodeClock}, Unix ms; tests skew it). Measures
   * the offset to Redis's clock now and every {@link #CLOCK_SYNC_INTERVAL_MS} (see {@link #storeDeadline}).
   */
  public static RedisGateway create(Vertx vertx, SharedConfig config, RelayMetrics metrics, LongSupplier nodeClock) {
    return create(vertx, config, metrics, clock(config, nodeClock), RedisMode.fromUrl(config.redisUrl()));
  }

  /**
   * A client for the Redis {@code REDIS_URL} names, once it has told whether it is a cluster
   * ({@link RedisMode#detect}, asked once): the way a service should start.
   */
  public static Future<RedisGateway> connect(Vertx vertx, SharedConfig config, RelayMetrics metrics,
      LongSupplier nodeClock) {
    return connect(vertx, config, metrics, clock(config, nodeClock));
  }

  /**
   * The same for one event loop of a process: a client of its own (its connections on the calling
   * event loop) sharing {@code clock} with the process's other loops.
   */
  public static Future<RedisGateway> connect(Vertx vertx, SharedConfig config, RelayMetrics metrics,
      RedisClock clock) {
    return RedisMode.detect(vertx, config).map(mode -> create(vertx, config, metrics, clock, mode))
        .onSuccess(gateway -> {
          if (gateway.waitReplicas > 0 && REPLICAS_CHECKED.compareAndSet(false, true)) {
            gateway.replicaShortfalls().onSuccess(shortfalls -> shortfalls.forEach(LOG::warn));
          }
        });
  }

  /**
   * One warning per primary with fewer connected replicas than {@code RELAY_REDIS_WAIT_REPLICAS}
   * ({@code connected_slaves} of {@code INFO replication}): every store there would wait for
   * replicas that do not exist and answer 503. Empty when the setting is 0, when every primary has
   * enough, or when Redis does not answer (the readiness check reports that). Names primaries by
   * {@code host:port}, never with credentials.
   */
  public Future<List<String>> replicaShortfalls() {
    if (waitReplicas == 0) {
      return Future.succeededFuture(List.of());
    }
    Future<List<String>> primaries = shards != null ? shards.shards().map(ShardMap::primaries)
        : Future.succeededFuture(List.of(ShardMap.address(mode.endpoints().get(0))));
    return primaries.compose(addresses -> {
      List<Future<String>> checked = addresses.stream().map(address -> {
        Request info = Request.cmd(Command.INFO).arg("replication");
        Future<Response> reply = shards != null ? shards.sendTo(address, info) : redis.send(info);
        return reply.timeout(timeoutMs, TimeUnit.MILLISECONDS).map(r -> shortfall(address, r.toString()));
      }).toList();
      return Future.join(checked).transform(done -> Future.succeededFuture(checked.stream()
          .filter(Future::succeeded).map(Future::result).filter(java.util.Objects::nonNull).toList()));
    }).recover(e -> Future.succeededFuture(List.of()));
  }

  /** The warning for the primary at {@code address} answering {@code info}, null when it has enough replicas. */
  private String shortfall(String address, String info) {
    Matcher connected = CONNECTED_REPLICAS.matcher(info);
    int replicas = connected.find() ? Integer.parseInt(connected.group(1)) : 0;
    if (replicas >= waitReplicas) {
      return null;
    }
    return "RELAY_REDIS_WAIT_REPLICAS=" + waitReplicas + " but the Redis primary at " + address + " has "
        + replicas + " connected replica" + (replicas == 1 ? "" : "s") + ": every store on it will wait up to "
        + Math.max(1, timeoutMs / 2) + " ms and answer 503 until enough replicas connect"
        + " (docs/operations.md#redis-cluster)";
  }

  /** A client for a Redis in {@code mode}; the first gateway built with {@code clock} keeps it synced. */
  public static RedisGateway create(Vertx vertx, SharedConfig config, RelayMetrics metrics, RedisClock clock,
      RedisMode mode) {
    Redis client = mode.cluster() ? new ShardedRedis(vertx, config, mode.endpoints())
        : RedisFactory.pooled(vertx, config, mode);
    RedisGateway gateway = new RedisGateway(client, mode,
        config.redisWaitReplicas(), config.redisTimeoutMs(), metrics.redisErrors, metrics.redisLatency, clock);
    if (clock.claimSyncing()) {
      vertx.setPeriodic(CLOCK_SYNC_INTERVAL_MS, id -> gateway.syncClock());
    }
    return gateway;
  }

  /** A clock for gateways using {@code config}'s timeout: samples slower than a quarter of it are ignored. */
  public static RedisClock clock(SharedConfig config, LongSupplier nodeClock) {
    return new RedisClock(nodeClock, config.redisTimeoutMs() / 4);
  }

  public RedisGateway(Redis redis, long timeoutMs, Counter errors) {
    this(redis, RedisMode.single("redis://127.0.0.1:6379"), 0, timeoutMs, errors, null,
        new RedisClock(System::currentTimeMillis, timeoutMs / 4));
  }

  /** {@code latency} may be null: calls are then not timed. */
  private RedisGateway(Redis redis, RedisMode mode, int waitReplicas, long timeoutMs, Counter errors, Timer latency,
      RedisClock clock) {
    this.redis = redis;
    this.mode = mode;
    this.waitReplicas = waitReplicas;
    this.shards = redis instanceof ShardedRedis sharded ? sharded : null;
    this.timeoutMs = timeoutMs;
    this.errors = errors;
    this.latency = latency;
    this.clock = clock;
  }

  /** One server or a cluster, and which pub/sub commands go with it. */
  public RedisMode mode() {
    return mode;
  }

  /** True on a Redis Cluster: every script must then touch one hash slot. */
  public boolean cluster() {
    return mode.cluster();
  }

  /** Measures the offset between this node's clock and Redis's again; never fails. */
  public Future<Void> syncClock() {
    return clock.sync(redis);
  }

  /**
   * The moment, on Redis's clock (Unix ms), after which a storing script started now must refuse
   * to store ({@code is_late} in {@code log-append.lua}): half the Redis timeout from now. The
   * other half is left for the reply; a reply later than that (a slow fsync, a pause) is answered
   * 503 although stored, which is why every send carries an idempotency key the client can retry
   * with (docs/reliability.md). Taken from Redis's clock as estimated by {@link RedisClock}, so a
   * skew between this node and Redis neither refuses every write nor lets a late one through.
   */
  public long storeDeadline() {
    return clock.now() + timeoutMs / 2;
  }

  public Future<Response> send(Request request) {
    return bounded(redis.send(request));
  }

  /**
   * Sends the commands in one write, in order (not a transaction). On a cluster, where one batch
   * may only hold keys of one node, the commands are sent one by one, all at once, and the replies
   * gathered in order.
   */
  public Future<List<Response>> batch(List<Request> requests) {
    if (mode.cluster()) {
      List<Future<Response>> replies = requests.stream().map(redis::send).toList();
      return bounded(Future.all(replies).map(all -> replies.stream().map(Future::result).toList()));
    }
    return bounded(redis.batch(requests));
  }

  /**
   * Publishes {@code payload} on {@code channel} outside a script: {@code PUBLISH}, or
   * {@code SPUBLISH} on a cluster (routed to the shard that owns the channel's slot).
   */
  public Future<Response> publish(String channel, String payload) {
    return send(publishRequest(channel, payload));
  }

  Request publishRequest(String channel, String payload) {
    Command command = mode.pubSub() == PubSubMode.SHARDED ? Command.SPUBLISH : Command.PUBLISH;
    return Request.cmd(command).arg(channel).arg(payload);
  }

  /** Runs a script by its SHA-1, loading it with EVAL the first time a server lacks it. */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    LuaScript variant = script.in(mode.pubSub());
    Future<Response> bySha = redis.send(scriptRequest(Command.EVALSHA, variant.sha1(), keys, args));
    return bounded(bySha.recover(e -> isNoScript(e)
        ? redis.send(scriptRequest(Command.EVAL, variant.source(), keys, args))
        : Future.failedFuture(e)));
  }

  /**
   * Runs a script that stores something a client will be answered 2xx for: like {@link #eval},
   * and with {@code RELAY_REDIS_WAIT_REPLICAS} >= 1 followed by {@code WAIT} on the same
   * connection, failing 503 when fewer replicas confirm in time (see {@link #storeAll}).
   */
  public Future<Response> store(LuaScript script, List<String> keys, List<String> args) {
    if (waitReplicas == 0) {
      return eval(script, keys, args);
    }
    return storeAll(List.of(new ScriptCall(script, keys, args))).map(replies -> replies.get(0));
  }

  /**
   * Runs several single-slot scripts (each one's keys in one hash slot, the calls in any slots),
   * pipelined: on one Redis as one batch; on a cluster as one batch per primary, the batches at
   * once. With {@code RELAY_REDIS_WAIT_REPLICAS} >= 1 each batch ends with {@code WAIT}: it counts
   * the replicas that have every write of the connection it is sent on, which is why it travels
   * in the same batch. Fails 503 when a batch fails or too few replicas confirm within half the
   * Redis timeout, once every batch has settled; calls of other batches may then have run
   * (callers make every call idempotent).
   * The replies come in the order of {@code calls}.
   */
  public Future<List<Response>> storeAll(List<ScriptCall> calls) {
    if (shards == null) {
      return storeOnOneNode(ONE_SERVER, calls);
    }
    return bounded(shards.shards()).map(map -> map.groups(calls, call -> HashSlot.of(call.keys().get(0)))).compose(groups -> {
      List<List<ScriptCall>> batches = new ArrayList<>(groups.values());
      List<String> nodes = new ArrayList<>(groups.keySet());
      List<Future<List<Response>>> sent = new ArrayList<>();
      for (int g = 0; g < batches.size(); g++) {
        sent.add(storeOnOneNode(nodes.get(g), batches.get(g)));
      }
      // join, not all: a failure is answered only once every batch has settled, so no write of
      // this store is still under way when the caller is told 503 (and retries).
      return Future.join(sent).map(all -> {
        Map<ScriptCall, Response> byCall = new IdentityHashMap<>();
        for (int g = 0; g < batches.size(); g++) {
          for (int i = 0; i < batches.get(g).size(); i++) {
            byCall.put(batches.get(g).get(i), sent.get(g).result().get(i));
          }
        }
        return calls.stream().map(byCall::get).toList();
      });
    });
  }

  /**
   * One batch (one connection) to {@code node}: each script's first call there by its source
   * ({@code EVAL}, which loads it) until a batch on that node has succeeded with it, every other
   * call by SHA-1. A batch is never sent again once any call of it may have run: Redis runs every
   * command of a pipeline, so a call that did not fail ran, and running it twice would append a
   * member event (which has no message id to be recognised by) twice. When the node has lost its
   * scripts anyway (restarted, {@code SCRIPT FLUSH}) and answers NOSCRIPT, the batch is sent again
   * with the sources only when every call failed (nothing ran); otherwise it fails 503 and the
   * caller's retry runs with the sources.
   */
  private Future<List<Response>> storeOnOneNode(String node, List<ScriptCall> calls) {
    Set<String> known = scriptsOn.computeIfAbsent(node == null ? UNSERVED : node, n -> ConcurrentHashMap.newKeySet());
    Future<List<Response>> sent = redis.batch(scriptBatch(calls, known));
    return bounded(sent.recover(e -> {
      if (!isNoScript(e)) {
        return Future.failedFuture(e);
      }
      known.clear();
      return noScriptCalls(e) == calls.size() ? redis.batch(scriptBatch(calls, known)) : Future.failedFuture(e);
    }).onSuccess(replies -> calls.forEach(call -> known.add(call.script().in(mode.pubSub()).sha1())))
        .compose(this::replicated));
  }

  /**
   * The script calls, then WAIT when replicas must confirm: by SHA-1, or by source ({@code EVAL})
   * for the first call of each script not in {@code known}.
   */
  private List<Request> scriptBatch(List<ScriptCall> calls, Set<String> known) {
    List<Request> batch = new ArrayList<>(calls.size() + 1);
    Set<String> loaded = new HashSet<>(known);
    for (ScriptCall call : calls) {
      LuaScript variant = call.script().in(mode.pubSub());
      batch.add(loaded.add(variant.sha1())
          ? scriptRequest(Command.EVAL, variant.source(), call.keys(), call.args())
          : scriptRequest(Command.EVALSHA, variant.sha1(), call.keys(), call.args()));
    }
    if (waitReplicas > 0) {
      batch.add(Request.cmd(Command.WAIT).arg(waitReplicas).arg(Math.max(1, timeoutMs / 2)));
    }
    return batch;
  }

  /** How many commands of a failed batch failed with NOSCRIPT: the client lists each failure as {@code ERR [index] …}. */
  static int noScriptCalls(Throwable batchFailure) {
    Matcher failed = FAILED_CALL.matcher(String.valueOf(batchFailure.getMessage()));
    int count = 0;
    while (failed.find()) {
      count++;
    }
    return count;
  }

  /** The script replies without WAIT's; failed when WAIT counted fewer replicas than required. */
  private Future<List<Response>> replicated(List<Response> replies) {
    if (waitReplicas == 0) {
      return Future.succeededFuture(replies);
    }
    long confirmed = replies.get(replies.size() - 1).toLong();
    if (confirmed < waitReplicas) {
      return Future.failedFuture(new IllegalStateException("WAIT: " + confirmed + " of " + waitReplicas
          + " replicas confirmed the write in time"));
    }
    return Future.succeededFuture(replies.subList(0, replies.size() - 1));
  }

  private static Request scriptRequest(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  /** NOSCRIPT as the reply of one call, or inside a failed batch's message ({@code ERR [0] NOSCRIPT …}). */
  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().contains("NOSCRIPT");
  }

  private <T> Future<T> bounded(Future<T> call) {
    Future<T> timed = call.timeout(timeoutMs, TimeUnit.MILLISECONDS);
    if (latency != null) {
      long started = System.nanoTime();
      timed = timed.andThen(done -> latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }
    return timed.recover(this::unavailable);
  }

  private <T> Future<T> unavailable(Throwable cause) {
    errors.increment();
    LOG.warn("redis call failed: {}", cause.toString());
    return Future.failedFuture(ApiError.unavailable("storage unavailable, retry later"));
  }

  /** The longest wait for one call, in milliseconds ({@code RELAY_REDIS_TIMEOUT_MS}). */
  public long timeoutMs() {
    return timeoutMs;
  }

  public Redis client() {
    return redis;
  }

  public Future<Void> close() {
    redis.close();
    return Future.succeededFuture();
  }
}
