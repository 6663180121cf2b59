package io.relay.push.transport;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flush per socket per event-loop task instead of one per frame: a message for a channel
 * with 1000 subscribers (or several pub/sub messages read at once) writes to every socket first,
 * and the flushes, each a system call, run together right after the task that wrote. One per
 * event-loop thread, so each loop flushes only its own sockets.
 */
final class LoopFlusher implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(LoopFlusher.class);
  private static final FastThreadLocal<LoopFlusher> OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected LoopFlusher initialValue() {
      return new LoopFlusher();
    }
  };

  private final List<SocketWriter> pending = new ArrayList<>();

  /** Flushes {@code writer} once the current task of {@code loop} (the calling thread's loop) is over. */
  static void schedule(SocketWriter writer, EventExecutor loop) {
    LoopFlusher flusher = OF_THREAD.get();
    if (flusher.pending.isEmpty()) {
      loop.execute(flusher);
    }
    flusher.pending.add(writer);
  }

  @Override
  public void run() {
    // A flush may complete a write whose listener writes again (a replay resumes): that writer is
    // appended and flushed in this same pass.
    try {
      for (int i = 0; i < pending.size(); i++) {
        try {
          pending.get(i).flush();
        } catch (RuntimeException e) {
          LOG.warn("flushing a websocket failed: {}", e.toString());
        }
      }
    } finally {
      pending.clear(); // else no flush would ever be scheduled on this thread again
    }
  }
}
