package io.relay.push.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's unbinds, so that none is lost under load: a binding left behind shows a closed
 * connection online and counts against its user's connection limit until its TTL ends. Unbinds
 * asked for in the same event-loop turn go out together, {@value #BATCH} per write, one write at
 * a time (thousands of clients closing at once take a few writes, not thousands of pool slots).
 * A write that fails is retried with backoff from {@value #FIRST_RETRY_MS} ms up to
 * {@value #MAX_RETRY_MS} ms until it lands or the binding's TTL has made it moot. Runs on the
 * event loop of the context that created it.
 */
public final class Unbinds {

  private static final Logger LOG = LoggerFactory.getLogger(Unbinds.class);
  static final int BATCH = 500;
  static final long FIRST_RETRY_MS = 50;
  static final long MAX_RETRY_MS = 2_000;

  private record Pending(Bindings.Ref ref, long mootAt, Promise<Void> firstTry) {
  }

  private final Vertx vertx;
  private final Context context;
  private final Bindings bindings;
  private final LongSupplier clock;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean scheduled;
  private boolean writing;
  private long backoff = FIRST_RETRY_MS;
  private long retryTimer = -1;

  public Unbinds(Vertx vertx, Bindings bindings, LongSupplier clock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.bindings = bindings;
    this.clock = clock;
  }

  /**
   * Queues the unbind. Completes after its first write, landed or not (a failed one is retried
   * in the background), so a closing connection never waits longer than one Redis call.
   */
  public Future<Void> unbind(String uid, String connectionId) {
    Promise<Void> firstTry = Promise.promise();
    queue.add(new Pending(new Bindings.Ref(uid, connectionId), clock.getAsLong() + bindings.ttlMillis(), firstTry));
    if (!scheduled && !writing && retryTimer == -1) {
      scheduled = true;
      context.runOnContext(v -> {
        scheduled = false;
        write();
      });
    }
    return firstTry.future();
  }

  /**
   * The unbind of a binding whose bind failed without an answer: it may still land after an
   * unbind sent now, so the unbind is sent now and once more after {@code lateMillis}.
   */
  public Future<Void> unbindUnknown(String uid, String connectionId, long lateMillis) {
    vertx.setTimer(lateMillis, id -> unbind(uid, connectionId));
    return unbind(uid, connectionId);
  }

  /** Unbinds waiting to be written or retried. */
  public int pending() {
    return queue.size();
  }

  private void write() {
    long now = clock.getAsLong();
    queue.removeIf(p -> {
      if (p.mootAt() > now) {
        return false;
      }
      p.firstTry().tryComplete(); // expired by now: nothing left to remove
      return true;
    });
    if (queue.isEmpty()) {
      backoff = FIRST_RETRY_MS;
      return;
    }
    List<Pending> batch = new ArrayList<>(Math.min(BATCH, queue.size()));
    while (batch.size() < BATCH && !queue.isEmpty()) {
      batch.add(queue.poll());
    }
    writing = true;
    bindings.unbindAll(batch.stream().map(Pending::ref).toList())
        .onComplete(ar -> context.runOnContext(v -> written(batch, ar.cause())));
  }

  private void written(List<Pending> batch, Throwable failure) {
    writing = false;
    batch.forEach(p -> p.firstTry().tryComplete());
    if (failure == null) {
      backoff = FIRST_RETRY_MS;
      write();
      return;
    }
    LOG.debug("{} unbinds failed, retrying in {} ms: {}", batch.size(), backoff, failure.toString());
    batch.forEach(queue::addFirst);
    retryTimer = vertx.setTimer(backoff, id -> {
      retryTimer = -1;
      write();
    });
    backoff = Math.min(MAX_RETRY_MS, backoff * 2);
  }
}
