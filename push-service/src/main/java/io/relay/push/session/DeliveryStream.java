package io.relay.push.session;

import io.relay.model.Seq;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * Ordered, gap-free delivery of one stream of entries (a user's log, a channel's history) to one
 * connection: replays from a cursor, in pages and never faster than the connection drains, then
 * hands over to live entries. Live entries that arrive while a replay runs are not buffered; they
 * mark the replay "dirty" so it reads once more before going live, and every entry at or before
 * the last delivered seq is skipped. So nothing is lost or repeated, whatever order the pub/sub
 * message and the log read arrive in.
 */
public final class DeliveryStream<E> {

  /** Where entries come from: one user's log or one channel's history, read after a position. */
  @FunctionalInterface
  public interface Log<E> {
    /** Up to {@code limit} entries after {@code after}, oldest first. */
    Future<List<E>> after(Seq after, int limit);
  }

  /** Where frames go; a transport adapts its connection to this. */
  public interface Sink<E> {
    /** Queues a frame; false when the connection is closed or has just been closed as too slow. */
    boolean write(E entry, boolean live);

    /** Completes when the connection can take another page of replay. */
    Future<Void> writable();
  }

  private final Log<E> log;
  private final Function<E, Seq> positionOf;
  private final Sink<E> sink;
  private final int pageSize;
  private Seq last;
  /** A replay runs, or live entries are held back until the next catch-up (then {@link #stalled}). */
  private boolean replaying = true;
  private boolean dirty;
  /** No replay runs, but live entries wait for a catch-up: a read failed, or the stream was held. */
  private boolean stalled;
  /** The replay running now must not go live when it ends: the pub/sub link dropped meanwhile. */
  private boolean held;
  private boolean stopped;

  /** {@code positionOf} gives an entry's place in the stream (its seq or offset). */
  public DeliveryStream(Log<E> log, Function<E, Seq> positionOf, Sink<E> sink, int pageSize) {
    this.log = log;
    this.positionOf = positionOf;
    this.sink = sink;
    this.pageSize = pageSize;
  }

  /** Replays everything after {@code cursor}, then goes live. Fails when the log cannot be read. */
  public Future<Void> start(Seq cursor) {
    return start(cursor, log);
  }

  /**
   * The same, reading the first page through {@code firstPage} (which may fetch it together with
   * other reads), the next ones from the log.
   */
  public Future<Void> start(Seq cursor, Log<E> firstPage) {
    last = cursor;
    return replay(firstPage);
  }

  public void onLive(E entry) {
    if (stopped || last == null || replaying) {
      dirty = true;
      return;
    }
    if (positionOf.apply(entry).isAfter(last)) {
      deliver(entry, true);
    }
  }

  /**
   * Holds live entries back until the next {@link #catchUp()} has read the log: the pub/sub link
   * dropped, so entries may be published unseen from now on, and a live entry delivered before
   * the catch-up could skip them.
   */
  public void hold() {
    held = true;
    if (!replaying) {
      replaying = true;
      stalled = true;
    }
  }

  /**
   * Reads the log again from the last delivered seq (entries may have been published unseen),
   * then goes live. When that read fails, live entries keep waiting for the next catch-up.
   */
  public Future<Void> catchUp() {
    held = false;
    if (stopped || last == null || (replaying && !stalled)) {
      dirty = true; // a replay yet to start or still running reads after this anyway
      return Future.succeededFuture();
    }
    replaying = true;
    stalled = false;
    return replay().onFailure(e -> stalled = true);
  }

  public void stop() {
    stopped = true;
  }

  /** The seq of the last entry handed to the connection. */
  public Seq last() {
    return last;
  }

  private Future<Void> replay() {
    return replay(log);
  }

  private Future<Void> replay(Log<E> reader) {
    dirty = false;
    return reader.after(last, pageSize).compose(entries -> deliverPage(entries, 0).compose(v -> {
      if (stopped) {
        return Future.succeededFuture();
      }
      if (entries.size() == pageSize || dirty) {
        return sink.writable().compose(w -> replay());
      }
      if (held) {
        stalled = true;
      } else {
        replaying = false;
      }
      return Future.<Void>succeededFuture();
    }));
  }

  /**
   * Writes a page from {@code from} on, pausing whenever the connection's queue is over half
   * full: neither a page of large entries nor several streams replaying into one connection at
   * once (its log and its channels) may pass the queue's bounds.
   */
  private Future<Void> deliverPage(List<E> entries, int from) {
    for (int i = from; i < entries.size(); i++) {
      if (!deliver(entries.get(i), false)) {
        return Future.succeededFuture();
      }
      Future<Void> room = sink.writable();
      if (!room.isComplete() && i + 1 < entries.size()) {
        int next = i + 1;
        return room.compose(v -> deliverPage(entries, next));
      }
    }
    return Future.succeededFuture();
  }

  private boolean deliver(E entry, boolean live) {
    Seq position = positionOf.apply(entry);
    if (stopped || !position.isAfter(last)) {
      return !stopped;
    }
    last = position;
    if (!sink.write(entry, live)) {
      stopped = true;
    }
    return !stopped;
  }
}
