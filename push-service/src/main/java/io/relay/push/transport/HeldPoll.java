package io.relay.push.transport;

import io.relay.model.CloseCode;
import io.relay.model.Ids;
import io.relay.model.LogEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.push.session.BindingLease;
import io.relay.push.session.Deadline;
import io.relay.push.session.Session;
import io.relay.push.session.SessionServices;
import io.relay.service.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-poll held until the user's log grows past {@code since} or the wait ends. It is a
 * {@link Session} in the registry, so the live path that feeds WebSockets wakes it. It holds a
 * reference on the user's channel, a binding ({@code transport: "poll"}) and one timer, and
 * gives all three back exactly once: when answered, or as soon as the client goes away.
 */
final class HeldPoll implements Session {

  private static final Logger LOG = LoggerFactory.getLogger(HeldPoll.class);

  private final SessionServices services;
  private final PollCounters counters;
  private final String uid;
  private final Seq since;
  private final int limit;
  private final String connectionId = Ids.newConnectionId();
  private final Promise<List<LogEntry>> answer = Promise.promise();
  private final BindingLease lease;
  private long deadline;
  private long timer = -1;
  private boolean armed;
  private boolean reading;
  private boolean dirty;
  private boolean done;

  HeldPoll(SessionServices services, PollCounters counters, String uid, Seq since, int limit) {
    this.services = services;
    this.counters = counters;
    this.uid = uid;
    this.since = since;
    this.limit = limit;
    this.lease = new BindingLease(services.bindings(), uid, connectionId, "poll", System::currentTimeMillis);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  /** Holds for up to {@code waitMillis}; completes with the entries after {@code since}, or none. */
  Future<List<LogEntry>> hold(long waitMillis) {
    deadline = System.currentTimeMillis() + waitMillis;
    counters.held();
    services.registry().add(this);
    Future<Void> subscribed = Deadline.within(services.vertx(),
        services.subscriber().subscribe(RedisKeys.liveChannel(uid)), services.config().shared().redisTimeoutMs(),
        "live subscription");
    Future<Void> bound = lease.bind();
    scheduleTimer();
    Future.all(subscribed, bound).onComplete(ar -> {
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
    if (entry.seq().isAfter(since)) {
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
    finish(List.of());
  }

  /** Node shutdown: answer with nothing, so the client polls again (on another node). */
  @Override
  public Future<Void> close(CloseCode code) {
    return finish(List.of());
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
    services.logs().after(uid, since, limit).onComplete(ar -> {
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
      finish(List.of());
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
    if (!done) {
      LOG.warn("poll {} of {} failed: {}", connectionId, uid, cause.toString());
    }
    answer.tryFail(ApiError.unavailable("storage unavailable, retry later"));
    release();
  }

  private Future<Void> finish(List<LogEntry> entries) {
    answer.tryComplete(entries);
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
    return lease.release();
  }
}
