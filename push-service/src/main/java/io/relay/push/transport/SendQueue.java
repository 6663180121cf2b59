package io.relay.push.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The bounded send queue of one connection (§5): counts frames handed to the socket and not yet
 * written out. A client that stops reading makes the count grow, and the session closes it.
 */
final class SendQueue {

  private final int max;
  private int queued;
  private Promise<Void> drained;
  private boolean closed;

  SendQueue(int max) {
    this.max = max;
  }

  /** Counts {@code write} until it completes; returns the frames queued now. */
  int track(Future<Void> write) {
    queued++;
    write.onComplete(ar -> written());
    return queued;
  }

  /** Completes when the queue is at most half full again, or the connection closed. */
  Future<Void> writable() {
    if (queued <= max / 2 || closed) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
  }

  /** Releases a waiting {@link #writable()}: nothing more will be written. */
  void close() {
    closed = true;
    release();
  }

  private void written() {
    queued--;
    if (queued <= max / 2) {
      release();
    }
  }

  private void release() {
    if (drained != null) {
      Promise<Void> waiting = drained;
      drained = null;
      waiting.tryComplete();
    }
  }
}
