package io.relay.push.session;

import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.relay.service.LogReader;
import io.vertx.core.Future;

/**
 * Ordered, gap-free delivery of one user's log to one connection: replays from a cursor, then
 * hands over to live entries. Live entries that arrive while a replay runs are not buffered; they
 * mark the replay "dirty" so it reads once more before going live, and every entry at or before
 * the last delivered seq is skipped. So nothing is lost or repeated, whatever order the pub/sub
 * message and the log read arrive in.
 */
final class DeliveryStream {

  /** Where frames go; a transport adapts its connection to this. */
  interface Sink {
    /** Queues a frame; false when the connection is closed or has just been closed as too slow. */
    boolean write(LogEntry entry, boolean live);

    /** Completes when the connection can take another page of replay. */
    Future<Void> writable();
  }

  private final String uid;
  private final LogReader logs;
  private final Sink sink;
  private final int pageSize;
  private Seq last;
  private boolean replaying = true;
  private boolean dirty;
  private boolean stalled;
  private boolean stopped;

  DeliveryStream(String uid, LogReader logs, Sink sink, int pageSize) {
    this.uid = uid;
    this.logs = logs;
    this.sink = sink;
    this.pageSize = pageSize;
  }

  /** Replays everything after {@code cursor}, then goes live. Fails when the log cannot be read. */
  Future<Void> start(Seq cursor) {
    last = cursor;
    return replay();
  }

  void onLive(LogEntry entry) {
    if (stopped || last == null || replaying) {
      dirty = true;
      return;
    }
    if (entry.seq().isAfter(last)) {
      deliver(entry, true);
    }
  }

  /**
   * Reads the log again from the last delivered seq (entries may have been published unseen).
   * When that read fails, live entries keep waiting and the next catch-up reads again.
   */
  Future<Void> catchUp() {
    if (stopped || last == null || (replaying && !stalled)) {
      dirty = true;
      return Future.succeededFuture();
    }
    replaying = true;
    stalled = false;
    return replay().onFailure(e -> stalled = true);
  }

  void stop() {
    stopped = true;
  }

  /** The seq of the last entry handed to the connection. */
  Seq last() {
    return last;
  }

  private Future<Void> replay() {
    dirty = false;
    return logs.after(uid, last, pageSize).compose(entries -> {
      for (LogEntry entry : entries) {
        if (!deliver(entry, false)) {
          return Future.succeededFuture();
        }
      }
      if (stopped) {
        return Future.succeededFuture();
      }
      if (entries.size() == pageSize || dirty) {
        return sink.writable().compose(v -> replay());
      }
      replaying = false;
      return Future.<Void>succeededFuture();
    });
  }

  private boolean deliver(LogEntry entry, boolean live) {
    if (stopped || !entry.seq().isAfter(last)) {
      return !stopped;
    }
    last = entry.seq();
    if (!sink.write(entry, live)) {
      stopped = true;
    }
    return !stopped;
  }
}
