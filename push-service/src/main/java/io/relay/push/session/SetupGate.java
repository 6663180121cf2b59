package io.relay.push.session;

import io.relay.service.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Admits connection set-ups at the rate Redis serves them. A reconnect storm brings thousands of
 * handshakes at once, and each set-up costs a few Redis calls (binding, cursor, replay); started
 * all together they overflow the Redis client's pool, time out and are refused, and the clients
 * come back to do it again. The gate lets at most {@code concurrency} set-ups run at once; the
 * others wait their turn in arrival order, at most {@code queueMax} of them. A handshake beyond
 * that is refused at once ({@code 503 unavailable}, {@code Retry-After}), before any Redis call.
 * Used only from one event loop (each event loop has its own gate).
 */
public final class SetupGate {

  /** The right to run one set-up; releasing it lets the next waiting one start. */
  public final class Permit {
    private boolean released;

    /** Ends the set-up's turn; any further call does nothing. */
    public void release() {
      if (!released) {
        released = true;
        leave();
      }
    }
  }

  /** A waiting set-up whose client left before its turn came: there is nothing to set up. */
  public static final class Abandoned extends RuntimeException {
    Abandoned() {
      super("client left while waiting to be set up", null, false, false);
    }
  }

  private record Waiter(Promise<Permit> turn, BooleanSupplier gone) {
  }

  private final int concurrency;
  private final int queueMax;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int running;
  private long refused;

  /** {@code concurrency} set-ups at once (at least 1), {@code queueMax} waiting at most (0: none wait). */
  public SetupGate(int concurrency, int queueMax) {
    this.concurrency = Math.max(1, concurrency);
    this.queueMax = Math.max(0, queueMax);
  }

  /**
   * A turn for one set-up: at once while fewer than {@code concurrency} run, else after those
   * that came before it. Fails with {@code 503 unavailable} when {@code queueMax} already wait,
   * and with {@link Abandoned} when {@code gone} says the client left before its turn came.
   */
  public Future<Permit> enter(BooleanSupplier gone) {
    if (running < concurrency) {
      running++;
      return Future.succeededFuture(new Permit());
    }
    if (waiting.size() >= queueMax) {
      refused++;
      return Future.failedFuture(ApiError.unavailable("this node is busy setting up connections, retry later"));
    }
    Promise<Permit> turn = Promise.promise();
    waiting.add(new Waiter(turn, gone));
    return turn.future();
  }

  private void leave() {
    running--;
    Waiter next;
    while (running < concurrency && (next = waiting.poll()) != null) {
      if (next.gone().getAsBoolean()) {
        next.turn().fail(new Abandoned());
      } else {
        running++;
        next.turn().complete(new Permit());
      }
    }
  }

  /** Set-ups running now. */
  public int running() {
    return running;
  }

  /** Set-ups waiting for their turn now. */
  public int waiting() {
    return waiting.size();
  }

  /** Handshakes refused because the queue was full, since start. */
  public long refused() {
    return refused;
  }
}
