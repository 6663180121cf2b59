package io.relay.push.transport;

import io.relay.model.CloseCode;
import io.relay.model.ErrorCode;
import io.relay.model.LogEntry;
import io.relay.model.RedisKeys;
import io.relay.push.channel.ChannelPoll;
import io.relay.push.session.BindingLease;
import io.relay.push.session.Deadline;
import io.relay.push.session.Session;
import io.relay.push.session.SessionServices;
import io.relay.service.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-poll held until the user's log grows past {@code since} (or one of the polled channels
 * gets a message) or the wait ends. It is a {@link Session} in the registry, so the live path that
 * feeds WebSockets wakes it. It holds a reference on the user's live pub/sub, one on each polled
 * channel, a binding ({@code transport: "poll"}) and one timer, and gives them all back exactly
 * once: when answered, or as soon as the client goes away.
 */
final class HeldPoll implements Session {

  private static final Logger LOG = LoggerFactory.getLogger(HeldPoll.class);

  private final SessionServices services;
  private final PollCounters counters;
  private final String uid;
  private final PollAnswer empty;
  private final Supplier<Future<PollAnswer>> reader;
  private final ChannelPoll channels;
  private final Promise<PollAnswer> answer = Promise.promise();
  private final BindingLease lease;
  private long deadline;
  private long timer = -1;
  private boolean armed;
  private boolean reading;
  private boolean dirty;
  private boolean done;

  /**
   * @param empty    the answer when nothing arrives in time (it read nothing)
   * @param reader   reads the answer again (the log after since, each channel after its start)
   * @param channels the polled channels, or null
   */
  HeldPoll(SessionServices services, PollCounters counters, String uid, PollAnswer empty,
      Supplier<Future<PollAnswer>> reader, ChannelPoll channels) {
    this.services = services;
    this.counters = counters;
    this.uid = uid;
    this.empty = empty;
    this.reader = reader;
    this.channels = channels;
    this.lease = services.lease(uid, "poll");
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public String connectionId() {
    return lease.connectionId();
  }

  /** Holds for up to {@code waitMillis}; completes with what arrived, or the empty answer. */
  Future<PollAnswer> hold(long waitMillis) {
    deadline = System.currentTimeMillis() + waitMillis;
    counters.held();
    services.registry().add(this);
    long timeout = services.config().shared().redisTimeoutMs();
    Future<Void> subscribed = Deadline.within(services.vertx(),
        services.subscriber().subscribe(RedisKeys.liveChannel(uid)), timeout, "live subscription");
    Future<Void> channelsArmed = channels == null ? Future.succeededFuture()
        : Deadline.within(services.vertx(), channels.hold(this::wake), timeout, "channel subscriptions");
    Future<Void> bound = lease.bind(services.config().maxConnsPerUser());
    scheduleTimer();
    Future.all(subscribed, channelsArmed, bound).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      armed = true;
      // Something stored between the caller's first read and the arming was published unseen.
      read();
    });
    return answer.future();
  }

  @Override
  public void onLive(LogEntry entry) {
    if (entry.seq().isAfter(empty.after())) {
      wake();
    }
  }

  @Override
  public Future<Void> catchUp() {
    wake();
    return Future.succeededFuture();
  }

  /** The client went away: give everything back; nobody reads the answer. */
  void abandon() {
    finish(empty);
  }

  /** Node shutdown: answer with nothing, so the client polls again (on another node). */
  @Override
  public Future<Void> close(CloseCode code) {
    return finish(empty);
  }

  private void wake() {
    if (done) {
      return;
    }
    if (!armed || reading) {
      dirty = true;
      return;
    }
    read();
  }

  /** Answers from the log, not with the waking entry, so the answer starts right after since. */
  private void read() {
    if (done) {
      return;
    }
    reading = true;
    dirty = false;
    reader.get().onComplete(ar -> {
      reading = false;
      if (ar.failed()) {
        fail(ar.cause());
      } else if (!ar.result().isEmpty()) {
        finish(ar.result());
      } else if (dirty) {
        read();
      }
    });
  }

  /** At most a heartbeat at a time, so the binding is refreshed before its 2×heartbeat TTL ends. */
  private void scheduleTimer() {
    long remaining = Math.max(1, deadline - System.currentTimeMillis());
    counters.timerSet();
    timer = services.vertx().setTimer(Math.min(remaining, services.config().heartbeatMillis()), id -> {
      timer = -1;
      counters.timerGone();
      tick();
    });
  }

  private void tick() {
    if (done) {
      return;
    }
    if (System.currentTimeMillis() >= deadline) {
      finish(empty);
      return;
    }
    // A binding that expired meanwhile routed room entries elsewhere: read the log once bound again.
    lease.renew().onSuccess(rebound -> {
      if (rebound) {
        wake();
      }
    });
    scheduleTimer();
  }

  private void fail(Throwable cause) {
    if (cause instanceof ApiError refused && refused.code() == ErrorCode.RATE_LIMITED) {
      answer.tryFail(refused); // the user's connection limit: answered 429
    } else {
      if (!done) {
        LOG.warn("poll {} of {} failed: {}", lease.connectionId(), uid, cause.toString());
      }
      answer.tryFail(ApiError.unavailable("storage unavailable, retry later"));
    }
    release();
  }

  private Future<Void> finish(PollAnswer found) {
    answer.tryComplete(found);
    return release();
  }

  private Future<Void> release() {
    if (done) {
      return Future.succeededFuture();
    }
    done = true;
    if (timer != -1) {
      services.vertx().cancelTimer(timer);
      timer = -1;
      counters.timerGone();
    }
    counters.answered();
    services.registry().remove(this);
    services.subscriber().unsubscribe(RedisKeys.liveChannel(uid));
    if (channels != null) {
      channels.release();
    }
    return lease.release();
  }
}
