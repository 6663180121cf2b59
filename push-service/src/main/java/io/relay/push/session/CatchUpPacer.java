package io.relay.push.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Catches sessions (and channel subscriptions) up after a pub/sub outage without a storm of reads: at most
 * {@code concurrency} catch-ups run at once, each starts after a random delay of up to
 * {@code jitterMs}, and one whose log read failed is queued again after a growing delay instead
 * of closing a client whose socket is fine. Used only from the push verticle's event loop.
 */
public final class CatchUpPacer {

  /** What can be caught up: a session, or one connection's subscription to a channel. */
  public interface Target {
    /** Reads again from the last delivered position; fails when the read failed (then retried). */
    Future<Void> catchUp();
  }

  private static final long FIRST_RETRY_MS = 100;
  private static final long MAX_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final int concurrency;
  private final long jitterMs;
  private final Deque<Target> queue = new ArrayDeque<>();
  private final Map<Target, Integer> failures = new IdentityHashMap<>();
  private final Map<Target, Boolean> queued = new IdentityHashMap<>();
  private int running;

  public CatchUpPacer(Vertx vertx, int concurrency, long jitterMs) {
    this.vertx = vertx;
    this.concurrency = concurrency;
    this.jitterMs = jitterMs;
  }

  /** Queues every session (once, however often asked) for a catch-up. */
  public void catchUp(Collection<? extends Target> sessions) {
    sessions.forEach(this::enqueue);
    pump();
  }

  /** Catch-ups queued or running now. */
  public int pending() {
    return queue.size() + running;
  }

  private void enqueue(Target session) {
    if (queued.put(session, Boolean.TRUE) == null) {
      queue.add(session);
    }
  }

  private void pump() {
    while (running < concurrency && !queue.isEmpty()) {
      Target session = queue.poll();
      queued.remove(session);
      running++;
      vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(jitterMs + 1), id -> run(session));
    }
  }

  private void run(Target session) {
    session.catchUp().onComplete(ar -> {
      running--;
      if (ar.succeeded()) {
        failures.remove(session);
      } else {
        int failed = failures.merge(session, 1, Integer::sum);
        long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(failed - 1, 16));
        vertx.setTimer(delay, id -> catchUp(List.of(session)));
      }
      pump();
    });
  }
}
