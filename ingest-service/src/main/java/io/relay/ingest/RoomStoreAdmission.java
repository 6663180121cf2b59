package io.relay.ingest;

import io.relay.service.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Lets room stores into Redis by their cost, so that a burst of posts to a big room waits here,
 * unsent, instead of queueing inside Redis: there each would run only after the ones before it, and
 * once the wait passed its store deadline ({@code RedisGateway#storeDeadline}, taken when it is
 * sent) it would be refused, the post answered 503 for nothing.
 *
 * <p>A store's cost is its room's member count (the logs it writes), as the room's last store
 * answered; a room not seen yet costs the whole budget, so its first store runs alone. Stores start
 * in arrival order while the cost in flight stays within the budget, and always when nothing is in
 * flight (a room bigger than the budget runs one store at a time). A store that could not start
 * within {@code maxWaitMs} is answered 503 without being sent: nothing stored, safe to retry.
 *
 * <p>One per event loop (not thread-safe): each loop's stores are admitted on their own.
 */
final class RoomStoreAdmission {

  /** Rooms whose member count is remembered (the most recently used ones). */
  private static final int KNOWN_ROOMS = 10_000;

  private final int budget;
  private final long maxWaitMs;
  private final LongSupplier clock;
  private final ArrayDeque<Waiting<?>> waiting = new ArrayDeque<>();
  private final Map<String, Integer> members = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > KNOWN_ROOMS;
    }
  };
  private long inFlight;

  /**
   * @param budget    member logs written by the stores in flight at most (one store always runs)
   * @param maxWaitMs longest wait of a store before it is answered 503 unsent
   * @param clock     ms, for the waits
   */
  RoomStoreAdmission(int budget, long maxWaitMs, LongSupplier clock) {
    this.budget = budget;
    this.maxWaitMs = maxWaitMs;
    this.clock = clock;
  }

  /**
   * Runs {@code store} (which sends a store of room {@code room}) once admitted; its result is this
   * future's. Call {@link #learned} with the member count it reports.
   */
  <T> Future<T> admit(String room, Supplier<Future<T>> store) {
    Waiting<T> entry = new Waiting<>(cost(room), clock.getAsLong(), store, Promise.promise());
    waiting.add(entry);
    startAdmitted();
    return entry.result().future();
  }

  /** Remembers that a store in {@code room} wrote {@code count} member logs (its cost next time). */
  void learned(String room, int count) {
    members.put(room, Math.max(1, count));
  }

  /** Stores waiting to start (for tests and metrics). */
  int waiting() {
    return waiting.size();
  }

  private long cost(String room) {
    Integer known = members.get(room);
    return known == null ? budget : known;
  }

  private void startAdmitted() {
    while (!waiting.isEmpty()) {
      Waiting<?> next = waiting.peek();
      if (clock.getAsLong() - next.since() > maxWaitMs) {
        waiting.poll();
        next.result().fail(ApiError.unavailable("storage busy, retry later"));
        continue;
      }
      if (inFlight > 0 && inFlight + next.cost() > budget) {
        return;
      }
      waiting.poll();
      start(next);
    }
  }

  private <T> void start(Waiting<T> entry) {
    inFlight += entry.cost();
    Future<T> sent;
    try {
      sent = entry.store().get();
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(done -> {
      inFlight -= entry.cost();
      entry.result().handle(done);
      startAdmitted();
    });
  }

  private record Waiting<T>(long cost, long since, Supplier<Future<T>> store, Promise<T> result) {
  }
}
