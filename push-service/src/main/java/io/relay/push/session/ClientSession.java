package io.relay.push.session;

import io.relay.model.CloseCode;
import io.relay.model.Frames;
import io.relay.model.Ids;
import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.relay.service.Identity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client connection's life, whatever its transport: arm the live subscription, bind, say
 * hello, replay from the cursor, deliver live, heartbeat, and on close release every timer,
 * subscription and binding exactly once.
 */
public final class ClientSession implements Session, DeliveryStream.Sink<LogEntry> {

  private static final int MAX_PAGE = 200;

  private final SessionServices services;
  private final Identity identity;
  private final String device;
  private final String connectionId = Ids.newConnectionId();
  private final Transport transport;
  private final DeliveryStream<LogEntry> stream;
  private long heartbeatTimer = -1;
  private long expiryTimer = -1;
  private long lastSeen = System.currentTimeMillis();
  private long lastHeartbeat = System.currentTimeMillis();
  private boolean closed;
  private Future<Void> bound = Future.succeededFuture();
  private boolean subscribed;
  private final Promise<Void> greeted = Promise.promise();
  private final List<Runnable> releaseActions = new ArrayList<>();

  public ClientSession(SessionServices services, Identity identity, String device, Transport transport) {
    this.services = services;
    this.identity = identity;
    this.device = device;
    this.transport = transport;
    int page = Math.max(1, Math.min(MAX_PAGE, services.config().sendQueueMax() / 2));
    this.stream = new DeliveryStream<>((after, limit) -> services.logs().after(identity.uid(), after, limit),
        LogEntry::seq, this, page);
  }

  @Override
  public String uid() {
    return identity.uid();
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  public String device() {
    return device;
  }

  /**
   * Sets the connection up: when this completes, hello has been sent and the replay is done.
   * Fails (and the caller closes with 1013) when Redis cannot be reached in time.
   */
  public Future<Void> open(Seq since) {
    services.registry().add(this);
    long timeout = services.config().shared().redisTimeoutMs();
    subscribed = true;
    Future<Void> armed = services.subscriber().subscribe(uid()).timeout(timeout, TimeUnit.MILLISECONDS);
    Future<Seq> start = since != null ? Future.succeededFuture(since) : services.cursors().of(uid(), device);
    bound = services.bindings().bind(uid(), connectionId, transport.name(), System.currentTimeMillis());
    startTimers();
    return Future.all(armed, start, bound)
        .compose(all -> services.logs().recovers(uid(), start.result()))
        .compose(recovered -> {
          transport.send(Frames.hello(uid(), connectionId, services.config().heartbeatSec(), recovered));
          greeted.tryComplete();
          return stream.start(start.result());
        });
  }

  @Override
  public void onLive(LogEntry entry) {
    stream.onLive(entry);
  }

  /** Sent once hello is out, through the same bounded queue as log entries (not counted as delivered). */
  @Override
  public void onTransient(String frame) {
    if (closed || stream.last() == null) {
      return;
    }
    withinBound(transport.send(frame));
  }

  /**
   * Queues a frame shared with other connections (a channel message) through the same bounded
   * queue as log entries; false when the connection is closed or has just been closed as too slow.
   */
  public boolean deliver(SharedFrame frame) {
    return !closed && withinBound(transport.send(frame));
  }

  /** Completes once {@code hello} has been sent; never if the connection closes before. */
  public Future<Void> greeted() {
    return greeted.future();
  }

  /** Runs {@code action} once when the connection is released (with the session's own clean-up). */
  public void whenReleased(Runnable action) {
    releaseActions.add(action);
  }

  @Override
  public void catchUp() {
    stream.catchUp().onFailure(e -> close(CloseCode.TRY_AGAIN_LATER));
  }

  /** The client showed life (any frame or pong). */
  public void touch() {
    lastSeen = System.currentTimeMillis();
  }

  /** The last seq delivered to this connection. */
  public Seq lastDelivered() {
    return stream.last();
  }

  /** Sends a control frame (pong, error): not counted as a delivery. */
  public void reply(String frame) {
    if (!closed) {
      transport.send(frame);
    }
  }

  @Override
  public boolean write(LogEntry entry, boolean live) {
    if (closed) {
      return false;
    }
    if (!withinBound(transport.send(entry))) {
      return false;
    }
    services.metrics().delivered.increment();
    if (live) {
      services.metrics().deliveryLatency.record(
          Math.max(0, System.currentTimeMillis() - entry.seq().millis()), TimeUnit.MILLISECONDS);
    }
    return true;
  }

  /** Closes the connection as too slow when {@code queued} passed the bound; true when it did not. */
  private boolean withinBound(int queued) {
    if (queued <= services.config().sendQueueMax()) {
      return true;
    }
    services.metrics().queueDrops.increment();
    close(CloseCode.TOO_SLOW);
    return false;
  }

  @Override
  public Future<Void> writable() {
    return transport.writable();
  }

  @Override
  public Future<Void> close(CloseCode code) {
    if (!closed) {
      transport.close(code);
    }
    return released();
  }

  /** Called by the transport once the connection is gone, however it ended. */
  public Future<Void> released() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    stream.stop();
    services.vertx().cancelTimer(heartbeatTimer);
    services.vertx().cancelTimer(expiryTimer);
    services.registry().remove(this);
    releaseActions.forEach(Runnable::run);
    // Every session holds its own reference on the user's channel: drop exactly that one.
    if (subscribed) {
      services.subscriber().unsubscribe(uid());
    }
    // After the bind has landed: an unbind overtaking it on another pooled connection would leave it.
    return bound.transform(ar -> services.bindings().unbind(uid(), connectionId))
        .recover(e -> Future.succeededFuture());
  }


  /** Checks liveness four times per heartbeat, so silence is caught soon after 2×heartbeat. */
  private void startTimers() {
    long period = Math.max(50, services.config().heartbeatMillis() / 4);
    heartbeatTimer = services.vertx().setPeriodic(period, id -> tick());
    long untilExpiry = identity.expiresAtMillis() - System.currentTimeMillis();
    expiryTimer = services.vertx().setTimer(Math.max(1, untilExpiry), id -> close(CloseCode.BAD_TOKEN));
  }

  private void tick() {
    long now = System.currentTimeMillis();
    if (transport.expectsLiveness() && now - lastSeen > services.config().livenessMillis()) {
      close(CloseCode.HEARTBEAT_TIMEOUT);
      return;
    }
    if (now - lastHeartbeat < services.config().heartbeatMillis()) {
      return;
    }
    lastHeartbeat = now;
    transport.heartbeat();
    services.bindings().refresh(uid(), connectionId);
  }
}
