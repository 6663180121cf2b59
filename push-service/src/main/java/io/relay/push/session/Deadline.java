package io.relay.push.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;

/**
 * A time limit on a future whose expiry runs on the caller's event loop. {@code Future.timeout}
 * on a future without a context fires on Netty's global executor, and whatever then closes a
 * session would touch event-loop-only state from that thread.
 */
public final class Deadline {

  private Deadline() {
  }

  /** {@code future}, or a {@link TimeoutException} after {@code millis}; call it on an event loop. */
  public static <T> Future<T> within(Vertx vertx, Future<T> future, long millis, String what) {
    Promise<T> limited = Promise.promise();
    long timer = vertx.setTimer(millis, id -> limited.tryFail(new TimeoutException(what + " took over " + millis + " ms")));
    future.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        limited.tryComplete(ar.result());
      } else {
        limited.tryFail(ar.cause());
      }
    });
    return limited.future();
  }
}
