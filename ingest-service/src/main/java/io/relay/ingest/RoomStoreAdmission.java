package io.relay.ingest;

import io.relay.service.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Lets room stores into Redis by their cost, and sends the posts to one room that waited together
 * as one batch, so that a burst of posts to a big room waits here, unsent, instead of queueing
 * inside Redis: there each would run only after the ones before it, and once the wait passed its
 * store deadline ({@code RedisGateway#storeDeadline}, taken when it is sent) it would be refused,
 * the post answered 503 for nothing. A batch stores its messages in one script, which costs each
 * member one append per message and the rest of its upkeep once ({@code store-room-message.lua}).
 *
 * <p>A batch's cost is its room's member count (the logs it writes), as the room's last store
 * answered; a room not seen yet costs the whole budget, so its first store runs alone. Batches
 * start in arrival order (of their first post) while the cost in flight stays within the budget,
 * and always when nothing is in flight (a room bigger than the budget runs one batch at a time);
 * a batch takes the waiting posts to its room in their order, up to {@code maxBatch} and to
 * {@code batchLogs} member logs (so a batch to a bigger room is smaller, its Redis time bounded;
 * never less than one post). A post that
 * has waited longer than {@code maxWaitMs} when its turn comes is answered 503 without being sent:
 * nothing stored, safe to retry. A batch Redis refused for starting past its deadline (nothing
 * stored) is sent again ({@link #again}) within that same wait.
 *
 * <p>One per event loop (not thread-safe): each loop's stores are admitted on their own, and a
 * finished batch is handled on that loop ({@code loop}), whichever thread completed it.
 *
 * @param <R> a post to store
 * @param <S> what its store answers
 */
final class RoomStoreAdmission<R, S> {

  /** Sends one batch of posts to one room; completes each post's result, and settles after them. */
  interface Sender<R, S> {
    Future<?> send(String room, List<Pending<R, S>> batch);
  }

  /** A post, the promise of its answer, and when it arrived (ms). */
  record Pending<R, S>(R request, Promise<S> result, long since) {
  }

  /** Rooms whose member count is remembered (the most recently used ones). */
  private static final int KNOWN_ROOMS = 10_000;

  private final int budget;
  private final int maxBatch;
  private final long batchLogs;
  private final long maxWaitMs;
  private final LongSupplier clock;
  private final Sender<R, S> sender;
  private final Executor loop;
  private final LinkedList<Waiting<R, S>> waiting = new LinkedList<>();
  private final Map<String, Integer> members = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > KNOWN_ROOMS;
    }
  };
  /** Posts of batches in flight that {@link #again} queued again: their batch must not fail them. */
  private final Set<Pending<R, S>> queuedAgain = Collections.newSetFromMap(new IdentityHashMap<>());
  private long inFlight;

  /**
   * @param budget    member logs written by the batches in flight at most (one batch always runs)
   * @param maxBatch  posts in one batch at most
   * @param batchLogs member logs one batch writes at most (posts × members), beyond its first post
   * @param maxWaitMs longest wait of a post before it is answered 503 unsent
   * @param clock     ms, for the waits
   * @param loop      runs a task on the event loop this admission belongs to
   */
  RoomStoreAdmission(int budget, int maxBatch, long batchLogs, long maxWaitMs, LongSupplier clock,
      Sender<R, S> sender, Executor loop) {
    this.budget = budget;
    this.maxBatch = maxBatch;
    this.batchLogs = batchLogs;
    this.maxWaitMs = maxWaitMs;
    this.clock = clock;
    this.sender = sender;
    this.loop = loop;
  }

  /** Stores {@code request}, a post to {@code room}, once admitted, alone or in a batch. */
  Future<S> admit(String room, R request) {
    Pending<R, S> pending = new Pending<>(request, Promise.promise(), clock.getAsLong());
    waiting.add(new Waiting<>(room, pending));
    startAdmitted();
    return pending.result().future();
  }

  /**
   * Puts the posts of a batch that Redis refused unrun (it started past its deadline: nothing
   * stored) back at the head of the queue, in order, to be sent again with a new deadline, or
   * answered 503 once they have waited too long. Call it from the sender, before its batch settles.
   */
  void again(String room, List<Pending<R, S>> batch) {
    for (int i = batch.size() - 1; i >= 0; i--) {
      waiting.addFirst(new Waiting<>(room, batch.get(i)));
      queuedAgain.add(batch.get(i));
    }
  }

  /** Remembers that a store in {@code room} wrote {@code count} member logs (its cost next time). */
  void learned(String room, int count) {
    members.put(room, Math.max(1, count));
  }

  /** Posts waiting to be sent (for tests). */
  int waiting() {
    return waiting.size();
  }

  private long cost(String room) {
    Integer known = members.get(room);
    return known == null ? budget : known;
  }

  private void startAdmitted() {
    while (!waiting.isEmpty()) {
      Waiting<R, S> next = waiting.peek();
      if (tooLate(next)) {
        waiting.poll();
        continue;
      }
      long cost = cost(next.room());
      if (inFlight > 0 && inFlight + cost > budget) {
        return;
      }
      List<Pending<R, S>> batch = takeBatch(next.room(), (int) Math.max(1, Math.min(maxBatch, batchLogs / cost)));
      if (!batch.isEmpty()) { // empty when its posts turned too late meanwhile
        start(next.room(), cost, batch);
      }
    }
  }

  /** Removes and returns the waiting posts to {@code room}, in order, up to {@code size}. */
  private List<Pending<R, S>> takeBatch(String room, int size) {
    List<Pending<R, S>> batch = new ArrayList<>();
    // the posts waiting on this loop: as many as a burst brings
    for (Iterator<Waiting<R, S>> it = waiting.iterator(); it.hasNext() && batch.size() < size; ) {
      Waiting<R, S> one = it.next();
      if (one.room().equals(room)) {
        it.remove();
        if (!tooLate(one)) {
          batch.add(one.pending());
        }
      }
    }
    return batch;
  }

  /** Answers 503 when {@code one} has waited too long (true), to be dropped from the queue. */
  private boolean tooLate(Waiting<R, S> one) {
    if (clock.getAsLong() - one.pending().since() <= maxWaitMs) {
      return false;
    }
    one.pending().result().tryFail(ApiError.unavailable("storage busy, retry later"));
    return true;
  }

  private void start(String room, long cost, List<Pending<R, S>> batch) {
    inFlight += cost;
    Future<?> sent;
    try {
      sent = sender.send(room, batch);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(done -> loop.execute(() -> {
      inFlight -= cost;
      // a sender that failed before answering every post: those get its failure
      Throwable cause = done.failed() ? done.cause() : new IllegalStateException("room store left a post unanswered");
      batch.forEach(pending -> {
        if (!queuedAgain.remove(pending)) {
          pending.result().tryFail(cause);
        }
      });
      startAdmitted();
    }));
  }

  private record Waiting<R, S>(String room, Pending<R, S> pending) {
  }
}
