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
 * Owns this node's Redis pub/sub connection. Subscribes to a user's live pub/sub while the node
 * holds at least one of that user's connections, and to a channel's while one of its connections
 * wants the channel (reference counted by pub/sub name), and tells when a subscription is armed (Redis
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

    /** A frame published on channel {@code channel}'s live pub/sub. */
    void onChannelPublished(String channel, String frame);

    /** {@code channel} was subscribed before an outage and is again: messages may have been missed. */
    void onChannelResubscribed(String channel);
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

  /** Subscribes {@code uid}'s live pub/sub (once per node); completes when Redis confirmed it. */
  public Future<Void> subscribe(String uid) {
    return subscribeName(RedisKeys.liveChannel(uid));
  }

  /** Drops one reference on {@code uid}'s live pub/sub; it is unsubscribed when the last one goes. */
  public void unsubscribe(String uid) {
    unsubscribeName(RedisKeys.liveChannel(uid));
  }

  /** Subscribes channel {@code channel}'s live pub/sub (once per node); completes when Redis confirmed it. */
  public Future<Void> subscribeChannel(String channel) {
    return subscribeName(RedisKeys.channelLive(channel));
  }

  /** Drops one reference on {@code channel}'s live pub/sub. */
  public void unsubscribeChannel(String channel) {
    unsubscribeName(RedisKeys.channelLive(channel));
  }

  private Future<Void> subscribeName(String name) {
    int refs = references.merge(name, 1, Integer::sum);
    if (refs > 1 && !unconfirmed.containsKey(name) && connection != null) {
      return Future.succeededFuture();
    }
    Promise<Void> armed = Promise.promise();
    waiting.computeIfAbsent(name, u -> new ArrayList<>()).add(armed);
    if (refs == 1 && connection != null) {
      send(Command.SUBSCRIBE, List.of(name));
    }
    return armed.future();
  }

  private void unsubscribeName(String name) {
    Integer refs = references.get(name);
    if (refs == null) {
      return;
    }
    if (refs > 1) {
      references.put(name, refs - 1);
      return;
    }
    references.remove(name);
    missedWhileDown.remove(name);
    failWaiting(name, new IllegalStateException("unsubscribed"));
    if (connection != null) {
      send(Command.UNSUBSCRIBE, List.of(name));
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

  private void send(Command command, List<String> names) {
    Request request = Request.cmd(command);
    names.forEach(request::arg);
    if (command == Command.SUBSCRIBE) {
      names.forEach(name -> unconfirmed.merge(name, 1, Integer::sum));
    }
    connection.send(request).onFailure(e -> LOG.warn("{} failed: {}", command, e.toString()));
  }

  private void onReply(Response reply) {
    if (reply == null || reply.size() < 3) {
      return;
    }
    String kind = reply.get(0).toString();
    String name = reply.get(1).toString();
    if ("message".equals(kind)) {
      String frame = reply.get(2).toString();
      String uid = RedisKeys.uidOfLiveChannel(name);
      if (uid != null) {
        listener.onPublished(uid, frame);
      } else if (RedisKeys.channelOfLive(name) != null) {
        listener.onChannelPublished(RedisKeys.channelOfLive(name), frame);
      }
    } else if ("subscribe".equals(kind)) {
      onConfirmed(name);
    }
  }

  private void resubscribed(String name) {
    String uid = RedisKeys.uidOfLiveChannel(name);
    if (uid != null) {
      listener.onResubscribed(uid);
    } else if (RedisKeys.channelOfLive(name) != null) {
      listener.onChannelResubscribed(RedisKeys.channelOfLive(name));
    }
  }

  /** Completes waiters only when every SUBSCRIBE sent for {@code name} has been confirmed. */
  private void onConfirmed(String name) {
    Integer pending = unconfirmed.get(name);
    if (pending == null) {
      return;
    }
    if (pending > 1) {
      unconfirmed.put(name, pending - 1);
      return;
    }
    unconfirmed.remove(name);
    if (!references.containsKey(name)) {
      return;
    }
    List<Promise<Void>> promises = waiting.remove(name);
    if (promises != null) {
      promises.forEach(Promise::tryComplete);
    }
    if (missedWhileDown.remove(name)) {
      resubscribed(name);
    }
  }

  private void failWaiting(String name, Throwable cause) {
    List<Promise<Void>> promises = waiting.remove(name);
    if (promises != null) {
      promises.forEach(p -> p.tryFail(cause));
    }
  }
}
