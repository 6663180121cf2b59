package io.relay.push.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The bounded send queue of one connection (docs/reliability.md): counts the frames and the bytes handed to the
 * socket and not yet written out. A client that stops reading makes both grow; past either
 * bound the session closes it with 4008, so one slow client holds at most about
 * {@code RELAY_SEND_QUEUE_BYTES} of this node's memory whatever the size of its frames.
 */
final class SendQueue {

  private final int maxFrames;
  private final long maxBytes;
  private int frames;
  private long bytes;
  private Promise<Void> drained;
  private boolean closed;

  SendQueue(int maxFrames, long maxBytes) {
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  /** Counts {@code write} of {@code size} bytes until it completes; false when now over a bound. */
  boolean track(Future<Void> write, int size) {
    boolean within = queued(size);
    write.onComplete(ar -> written(1, size));
    return within;
  }

  /**
   * Counts a frame of {@code size} bytes handed to the socket, to be given back with
   * {@link #written} once it is out; false when now over a bound.
   */
  boolean queued(int size) {
    frames++;
    bytes += size;
    return frames <= maxFrames && bytes <= maxBytes;
  }

  /** {@code count} frames of {@code size} bytes in all left the queue: written out, or failed. */
  void written(int count, long size) {
    frames -= count;
    bytes -= size;
    if (halfEmpty()) {
      release();
    }
  }

  /** Completes when the queue is at most half full again in frames and in bytes, or the connection closed. */
  Future<Void> writable() {
    if (halfEmpty() || closed) {
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

  int frames() {
    return frames;
  }

  long bytes() {
    return bytes;
  }

  private boolean halfEmpty() {
    return frames <= maxFrames / 2 && bytes <= maxBytes / 2;
  }

  private void release() {
    if (drained != null) {
      Promise<Void> waiting = drained;
      drained = null;
      waiting.tryComplete();
    }
  }
}
