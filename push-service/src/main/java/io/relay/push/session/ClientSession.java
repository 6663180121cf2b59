package io.relay.push.session;

import io.relay.model.CloseCode;
import io.relay.model.Frames;
import io.relay.model.LogEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.service.Identity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's life, whatever its transport: arm the live subscription, bind, say
 * hello, replay from the cursor, deliver live, heartbeat, and on close release every timer,
 * subscription and binding exactly once. Runs on the push verticle's event loop only: every
 * timer and callback that touches it is set from there.
 */
public final class ClientSession implements Session, DeliveryStream.Sink<LogEntry>, TickWheel.Ticking {

  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
  private static final int MAX_PAGE = 200;

  private final SessionServices services;
  private final Identity identity;
  private final String device;
  private final String connectionId;
  private final Transport transport;
  private final DeliveryStream<LogEntry> stream;
  private final BindingLease lease;
  private int tickSlot = -1;
  private long expiryTimer = -1;
  private long lastSeen = System.currentTimeMillis();
  private long lastHeartbeat = System.currentTimeMillis();
  private boolean closed;
  private boolean subscribed;
  private boolean live;
  private boolean renewing;
  private boolean owesCatchUp;
  private final Promise<Void> greeted = Promise.promise();
  private final List<Runnable> releaseActions = new ArrayList<>();

  /** {@code lease}: the connection's binding, written at admission (see {@link SessionServices#admit}). */
  public ClientSession(SessionServices services, Identity identity, String device, Transport transport,
      BindingLease lease) {
    this.services = services;
    this.identity = identity;
    this.device = device;
    this.transport = transport;
    int page = Math.max(1, Math.min(MAX_PAGE, services.config().sendQueueMax() / 2));
    this.stream = new DeliveryStream<>((after, limit) -> services.logs().after(identity.uid(), after, limit),
        LogEntry::seq, this, page);
    this.lease = lease;
    this.connectionId = lease.connectionId();
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
   * Fails (and the caller closes with 1013) when Redis cannot be reached in time. Without
   * {@code since} it resumes from the device's cursor, which the admitting bind read
   * ({@link SessionServices#admit}). Once the live subscription is armed, the resume check and
   * the replay's first page come in one round trip.
   */
  public Future<Void> open(Seq since) {
    Seq start = since != null ? since : lease.cursor();
    if (start == null) {
      return Future.failedFuture(new IllegalStateException("no since, and the admitting bind read no cursor"));
    }
    services.registry().add(this);
    subscribed = true;
    long timeout = services.config().shared().redisTimeoutMs();
    Future<Void> armed = Deadline.within(services.vertx(),
        services.subscriber().subscribe(RedisKeys.liveChannel(uid())), timeout, "live subscription");
    Future<Void> bound = lease.bound();
    startTimers();
    // join, not all: when both fail, the subscription's failure is the one reported, whatever came first.
    return Future.join(armed, bound)
        .transform(all -> firstFailure(armed, bound))
        .compose(none -> stream.start(start, this::greet))
        .onSuccess(v -> live = true);
  }

  /** Reads whether the resume is complete with the replay's first page, and says hello before that page. */
  private Future<List<LogEntry>> greet(Seq after, int limit) {
    return services.logs().resume(uid(), after, limit).map(resume -> {
      transport.send(Frames.hello(uid(), connectionId, services.config().heartbeatSec(), resume.recovered()));
      greeted.tryComplete();
      return resume.firstPage();
    });
  }

  private static Future<Void> firstFailure(Future<?>... steps) {
    for (Future<?> step : steps) {
      if (step.failed()) {
        return Future.failedFuture(step.cause());
      }
    }
    return Future.succeededFuture();
  }

  /**
   * A live entry. Delivered at once while the binding surely routes room entries here; past
   * that, room entries before it may have gone nowhere, so the binding is renewed and the
   * session catches up from the log instead.
   */
  @Override
  public void onLive(LogEntry entry) {
    if (!live || lease.covers(System.currentTimeMillis())) {
      stream.onLive(entry);
      return;
    }
    owesCatchUp = true;
    renew();
  }

  /** Sent once hello is out, through the same bounded queue as log entries (not counted as delivered). */
  @Override
  public void onTransient(String frame) {
    if (closed || !greeted.future().isComplete()) {
      return;
    }
    if (!transport.send(frame)) {
      tooSlow();
    }
  }

  /**
   * Queues a frame shared with other connections (a channel message) through the same bounded
   * queue as log entries; false when the connection is closed or has just been closed as too slow.
   */
  public boolean deliver(SharedFrame frame) {
    if (closed) {
      return false;
    }
    if (!transport.send(frame)) {
      tooSlow();
      return false;
    }
    return true;
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
  public void holdLive() {
    stream.hold();
  }

  @Override
  public Future<Void> catchUp() {
    return stream.catchUp();
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
    if (!transport.send(entry)) {
      tooSlow();
      return false;
    }
    services.metrics().delivered.increment();
    if (live) {
      services.metrics().deliveryLatency.record(
          Math.max(0, System.currentTimeMillis() - entry.seq().millis()), TimeUnit.MILLISECONDS);
    }
    return true;
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
    if (tickSlot >= 0) {
      services.ticks().remove(this, tickSlot);
    }
    services.vertx().cancelTimer(expiryTimer);
    services.registry().remove(this);
    releaseActions.forEach(Runnable::run);
    // Every session holds its own reference on the user's channel: drop exactly that one.
    if (subscribed) {
      services.subscriber().unsubscribe(RedisKeys.liveChannel(uid()));
    }
    return lease.release();
  }

  private void tooSlow() {
    services.metrics().queueDrops.increment();
    close(CloseCode.TOO_SLOW);
  }

  /** Refreshes the binding (binding it again if it expired) and catches up if entries may have been missed. */
  private void renew() {
    if (renewing || closed) {
      return;
    }
    renewing = true;
    lease.renew()
        .compose(rebound -> {
          owesCatchUp |= rebound;
          return owesCatchUp ? stream.catchUp().onSuccess(v -> owesCatchUp = false) : Future.<Void>succeededFuture();
        })
        .onComplete(ar -> {
          renewing = false;
          if (ar.failed()) {
            LOG.debug("binding renewal of {} failed, next heartbeat retries: {}", connectionId, ar.cause().toString());
          } else if (owesCatchUp) {
            renew(); // an entry came past the lease while this renewal ran
          }
        });
  }

  /**
   * Joins the node's {@link TickWheel}, which visits the session four times per heartbeat, so
   * silence is caught soon after 2×heartbeat. The token's expiry gets a timer of its own only
   * once it is nearer than the next visit.
   */
  private void startTimers() {
    tickSlot = services.ticks().add(this);
    armExpiryIfDue(System.currentTimeMillis());
  }

  @Override
  public void tick(long now) {
    if (closed) {
      return;
    }
    if (transport.expectsLiveness() && now - lastSeen > services.config().livenessMillis()) {
      close(CloseCode.HEARTBEAT_TIMEOUT);
      return;
    }
    armExpiryIfDue(now);
    if (now - lastHeartbeat < services.config().heartbeatMillis()) {
      return;
    }
    lastHeartbeat = now;
    transport.heartbeat();
    renew();
  }

  /** A precise timer for the token's expiry once the wheel's next visit would come after it. */
  private void armExpiryIfDue(long now) {
    long untilExpiry = identity.expiresAtMillis() - now;
    if (expiryTimer < 0 && untilExpiry <= 2 * services.ticks().period()) {
      expiryTimer = services.vertx().setTimer(Math.max(1, untilExpiry), id -> close(CloseCode.BAD_TOKEN));
    }
  }
}
