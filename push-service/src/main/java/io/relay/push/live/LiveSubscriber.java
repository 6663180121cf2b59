package io.relay.push.live;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this node's pub/sub connection. Keeps some channels for the node's whole life (its own
 * node channel), and subscribes others while at least one reference on them is held (a user's
 * channel while the node holds one of that user's connections). Tells when a subscription is
 * armed (Redis confirmed it), since only then can a session replay without a gap.
 *
 * <p>The link is probed every {@code probeIntervalMs}; when nothing at all has come over it for
 * three intervals it is taken for dead (a peer gone without FIN) and replaced. After any drop it
 * reconnects with capped, jittered backoff, resubscribes everything, and once every channel of
 * that resubscribe is confirmed tells the listener once that anything published meanwhile was
 * missed. A drop during the resubscribe only postpones that. Used only from the push verticle's
 * event loop.
 */
public final class LiveSubscriber {

  /** Receives what the subscription brings. */
  public interface Listener {

    /** A message published on {@code channel}. */
    void onMessage(String channel, String payload);

    /** The link dropped: what is published from now until {@link #onResubscribed} may be missed. */
    void onDropped();

    /** The link is back and every channel is confirmed again: whatever was published meanwhile was missed. */
    void onResubscribed();
  }

  private static final Logger LOG = LoggerFactory.getLogger(LiveSubscriber.class);
  static final long MIN_BACKOFF_MS = 50;
  static final long MAX_BACKOFF_MS = 2_000;
  static final int SILENT_PROBES = 3;

  private final Vertx vertx;
  private final PubSubLink link;
  private final Listener listener;
  private final long probeIntervalMs;
  private final LongSupplier clock;
  private final Set<String> kept = new LinkedHashSet<>();
  private final Map<String, Integer> references = new HashMap<>();
  private final Map<String, Integer> unconfirmed = new HashMap<>();
  private final Map<String, List<Promise<Void>>> waiting = new HashMap<>();
  private final Set<String> resubscribing = new HashSet<>();
  private final Promise<Void> started = Promise.promise();
  private PubSubLink.Connection connection;
  private int generation;
  private boolean everConnected;
  private boolean missed;
  private long backoffMs = MIN_BACKOFF_MS;
  private long lastHeard;
  private long probeTimer = -1;
  private boolean stopped;
  private long reconnects;

  public LiveSubscriber(Vertx vertx, RedisOptions options, Listener listener, long probeIntervalMs) {
    this(vertx, new RedisPubSubLink(vertx, options), listener, probeIntervalMs);
  }

  /** Over {@code link}: see {@link PubSubLinks} for the one that fits the Redis in use. */
  public LiveSubscriber(Vertx vertx, PubSubLink link, Listener listener, long probeIntervalMs) {
    this(vertx, link, listener, probeIntervalMs, System::currentTimeMillis);
  }

  LiveSubscriber(Vertx vertx, PubSubLink link, Listener listener, long probeIntervalMs, LongSupplier clock) {
    this.vertx = vertx;
    this.link = link;
    this.listener = listener;
    this.probeIntervalMs = probeIntervalMs;
    this.clock = clock;
  }

  /**
   * Connects and subscribes {@code channels} for good; completes once they are armed, or at once
   * if Redis is not there yet (it keeps retrying in the background).
   */
  public Future<Void> start(List<String> channels) {
    List<Future<Void>> armed = new ArrayList<>();
    for (String channel : channels) {
      kept.add(channel);
      armed.add(await(channel));
    }
    Future.all(armed).onSuccess(all -> started.tryComplete());
    connect();
    probeTimer = vertx.setPeriodic(probeIntervalMs, id -> probe());
    return started.future();
  }

  /** Subscribes {@code channel} (once per node); completes when Redis confirmed it. */
  public Future<Void> subscribe(String channel) {
    int refs = references.merge(channel, 1, Integer::sum);
    if (refs > 1 && !unconfirmed.containsKey(channel) && connection != null) {
      return Future.succeededFuture();
    }
    Future<Void> armed = await(channel);
    if (refs == 1 && connection != null) {
      send(List.of(channel));
    }
    return armed;
  }

  /** Drops one reference; the channel is unsubscribed when the last one goes. */
  public void unsubscribe(String channel) {
    Integer refs = references.get(channel);
    if (refs == null) {
      return;
    }
    if (refs > 1) {
      references.put(channel, refs - 1);
      return;
    }
    references.remove(channel);
    List<Promise<Void>> promises = waiting.remove(channel);
    if (promises != null) {
      promises.forEach(p -> p.tryFail(new IllegalStateException("unsubscribed")));
    }
    if (connection != null) {
      connection.unsubscribe(List.of(channel));
    }
    if (resubscribing.remove(channel)) {
      resubscribedIfDone();
    }
  }

  /** Channels subscribed now by reference (not counting those kept for good). */
  public int subscriptions() {
    return references.size();
  }

  /** Times the connection was re-established after dropping. */
  public long reconnects() {
    return reconnects;
  }

  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(probeTimer);
    if (connection != null) {
      connection.close();
      connection = null;
    }
    link.close();
    return Future.succeededFuture();
  }

  /** The probe tick: replaces a link that has been silent too long, else asks it for an answer. */
  void probe() {
    if (connection == null) {
      return;
    }
    if (clock.getAsLong() - lastHeard > SILENT_PROBES * probeIntervalMs) {
      PubSubLink.Connection silent = connection;
      lost(generation, "no answer for " + SILENT_PROBES + " probes");
      silent.close();
      return;
    }
    connection.probe();
  }

  private Future<Void> await(String channel) {
    Promise<Void> armed = Promise.promise();
    waiting.computeIfAbsent(channel, c -> new ArrayList<>()).add(armed);
    return armed.future();
  }

  private void connect() {
    int attempt = ++generation;
    link.connect(new Events(attempt)).onComplete(ar -> {
      if (stopped || attempt != generation) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        started.tryComplete(); // serve anyway: sessions wait for their own subscriptions to be armed
        scheduleReconnect(ar.cause().toString());
        return;
      }
      connection = ar.result();
      lastHeard = clock.getAsLong();
      if (everConnected) {
        reconnects++;
      }
      everConnected = true;
      List<String> all = new ArrayList<>(kept); // the node channel first: confirmed before any other
      all.addAll(references.keySet());
      resubscribing.clear();
      resubscribing.addAll(all);
      if (all.isEmpty()) {
        resubscribedIfDone();
      } else {
        send(all);
      }
    });
  }

  private void lost(int attempt, String why) {
    if (attempt != generation || connection == null) {
      return;
    }
    connection = null;
    unconfirmed.clear();
    resubscribing.clear();
    missed = true;
    if (!stopped) {
      LOG.warn("pub/sub connection lost ({}): reconnecting", why);
      listener.onDropped();
      scheduleReconnect(why);
    }
  }

  /** Equal jitter: half the backoff fixed, half random, so nodes that lost Redis together spread out. */
  private void scheduleReconnect(String why) {
    if (stopped) {
      return;
    }
    long delay = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    LOG.debug("pub/sub reconnect in {} ms ({})", delay, why);
    vertx.setTimer(delay, id -> connect());
  }

  private void send(List<String> channels) {
    channels.forEach(channel -> unconfirmed.merge(channel, 1, Integer::sum));
    connection.subscribe(channels);
  }

  /** Completes waiters only when every SUBSCRIBE sent for {@code channel} has been confirmed. */
  private void onConfirmed(String channel) {
    Integer pending = unconfirmed.get(channel);
    if (pending == null) {
      return;
    }
    if (pending > 1) {
      unconfirmed.put(channel, pending - 1);
      return;
    }
    unconfirmed.remove(channel);
    if (references.containsKey(channel) || kept.contains(channel)) {
      List<Promise<Void>> promises = waiting.remove(channel);
      if (promises != null) {
        promises.forEach(Promise::tryComplete);
      }
    }
    if (resubscribing.remove(channel)) {
      resubscribedIfDone();
    }
  }

  private void resubscribedIfDone() {
    if (!resubscribing.isEmpty() || connection == null) {
      return;
    }
    backoffMs = MIN_BACKOFF_MS;
    if (missed) {
      missed = false;
      LOG.info("pub/sub connection re-established, {} channels resubscribed", kept.size() + references.size());
      listener.onResubscribed();
    }
  }

  /** One connection's events; those of a connection already replaced are ignored. */
  private final class Events implements PubSubLink.Events {

    private final int attempt;

    Events(int attempt) {
      this.attempt = attempt;
    }

    private boolean current() {
      boolean current = attempt == generation && connection != null;
      if (current) {
        lastHeard = clock.getAsLong();
      }
      return current;
    }

    @Override
    public void onMessage(String channel, String payload) {
      if (current()) {
        listener.onMessage(channel, payload);
      }
    }

    @Override
    public void onSubscribed(String channel) {
      if (current()) {
        onConfirmed(channel);
      }
    }

    @Override
    public void onProbeAnswered() {
      current();
    }

    @Override
    public void onLost(String why) {
      lost(attempt, why);
    }
  }
}
