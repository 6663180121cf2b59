package io.relay.push.live;

import io.relay.model.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this node's Redis pub/sub connection. Subscribes to a user's live channel while the node
 * holds at least one of that user's connections, and tells when a subscription is armed (Redis
 * confirmed it), since only then can a session replay without a gap. When the connection drops it
 * reconnects with capped backoff, resubscribes, and asks the sessions to catch up from the log.
 * Used only from the push verticle's event loop.
 */
public final class LiveSubscriber {

  /** Receives what the subscription brings. */
  public interface Listener {
    /** A frame published on {@code uid}'s live channel. */
    void onPublished(String uid, String frame);

    /** {@code uid} was subscribed before an outage and is again: entries may have been missed. */
    void onResubscribed(String uid);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LiveSubscriber.class);
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 2_000;

  private final Vertx vertx;
  private final Redis client;
  private final Listener listener;
  private final Map<String, Integer> references = new HashMap<>();
  private final Map<String, Integer> unconfirmed = new HashMap<>();
  private final Map<String, List<Promise<Void>>> waiting = new HashMap<>();
  private final Set<String> missedWhileDown = new HashSet<>();
  private RedisConnection connection;
  private long backoffMs = MIN_BACKOFF_MS;
  private boolean stopped;
  private long reconnects;

  public LiveSubscriber(Vertx vertx, RedisOptions options, Listener listener) {
    this.vertx = vertx;
    this.client = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
    this.listener = listener;
  }

  /** Connects; keeps retrying in the background if Redis is not there yet. */
  public Future<Void> start() {
    return connect().recover(e -> Future.succeededFuture());
  }

  /** Subscribes {@code uid}'s channel (once per node); completes when Redis confirmed it. */
  public Future<Void> subscribe(String uid) {
    int refs = references.merge(uid, 1, Integer::sum);
    if (refs > 1 && !unconfirmed.containsKey(uid) && connection != null) {
      return Future.succeededFuture();
    }
    Promise<Void> armed = Promise.promise();
    waiting.computeIfAbsent(uid, u -> new ArrayList<>()).add(armed);
    if (refs == 1 && connection != null) {
      send(Command.SUBSCRIBE, List.of(uid));
    }
    return armed.future();
  }

  /** Drops one reference; the channel is unsubscribed when the last one goes. */
  public void unsubscribe(String uid) {
    Integer refs = references.get(uid);
    if (refs == null) {
      return;
    }
    if (refs > 1) {
      references.put(uid, refs - 1);
      return;
    }
    references.remove(uid);
    missedWhileDown.remove(uid);
    failWaiting(uid, new IllegalStateException("unsubscribed"));
    if (connection != null) {
      send(Command.UNSUBSCRIBE, List.of(uid));
    }
  }

  /** Channels subscribed now. */
  public int subscriptions() {
    return references.size();
  }

  /** Times the connection was re-established after dropping. */
  public long reconnects() {
    return reconnects;
  }

  public Future<Void> stop() {
    stopped = true;
    client.close();
    return Future.succeededFuture();
  }

  private Future<Void> connect() {
    return client.connect().map(conn -> {
      connection = conn;
      backoffMs = MIN_BACKOFF_MS;
      conn.handler(this::onReply);
      conn.endHandler(v -> onLost("connection closed"));
      conn.exceptionHandler(e -> onLost(e.toString()));
      if (!references.isEmpty()) {
        send(Command.SUBSCRIBE, List.copyOf(references.keySet()));
      }
      return (Void) null;
    }).onFailure(e -> scheduleReconnect(e.toString()));
  }

  private void onLost(String why) {
    if (connection == null) {
      return;
    }
    connection = null;
    unconfirmed.clear();
    missedWhileDown.addAll(references.keySet());
    missedWhileDown.removeAll(waiting.keySet());
    if (!stopped) {
      LOG.warn("pub/sub connection lost ({}): reconnecting", why);
      scheduleReconnect(why);
    }
  }

  private void scheduleReconnect(String why) {
    if (stopped) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, id -> connect().onSuccess(v -> {
      reconnects++;
      LOG.info("pub/sub connection re-established, {} channels resubscribed", references.size());
    }));
  }

  private void send(Command command, List<String> uids) {
    Request request = Request.cmd(command);
    uids.forEach(uid -> request.arg(RedisKeys.liveChannel(uid)));
    if (command == Command.SUBSCRIBE) {
      uids.forEach(uid -> unconfirmed.merge(uid, 1, Integer::sum));
    }
    connection.send(request).onFailure(e -> LOG.warn("{} failed: {}", command, e.toString()));
  }

  private void onReply(Response reply) {
    if (reply == null || reply.size() < 3) {
      return;
    }
    String kind = reply.get(0).toString();
    String uid = RedisKeys.uidOfLiveChannel(reply.get(1).toString());
    if (uid == null) {
      return;
    }
    if ("message".equals(kind)) {
      listener.onPublished(uid, reply.get(2).toString());
    } else if ("subscribe".equals(kind)) {
      onConfirmed(uid);
    }
  }

  /** Completes waiters only when every SUBSCRIBE sent for {@code uid} has been confirmed. */
  private void onConfirmed(String uid) {
    Integer pending = unconfirmed.get(uid);
    if (pending == null) {
      return;
    }
    if (pending > 1) {
      unconfirmed.put(uid, pending - 1);
      return;
    }
    unconfirmed.remove(uid);
    if (!references.containsKey(uid)) {
      return;
    }
    List<Promise<Void>> promises = waiting.remove(uid);
    if (promises != null) {
      promises.forEach(Promise::tryComplete);
    }
    if (missedWhileDown.remove(uid)) {
      listener.onResubscribed(uid);
    }
  }

  private void failWaiting(String uid, Throwable cause) {
    List<Promise<Void>> promises = waiting.remove(uid);
    if (promises != null) {
      promises.forEach(p -> p.tryFail(cause));
    }
  }
}
