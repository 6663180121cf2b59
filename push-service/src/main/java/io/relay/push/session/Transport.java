package io.relay.push.session;

import io.relay.model.CloseCode;
import io.relay.model.LogEntry;
import io.vertx.core.Future;

/** What a session needs from a connection: a WebSocket or an SSE stream. */
public interface Transport {

  /** {@code ws}, {@code sse} or {@code poll}: shown in bindings and presence. */
  String name();

  /**
   * Queues a frame; false when the frames or bytes handed to the socket and not yet written are
   * now over a bound of the send queue (the session then closes the connection with 4008).
   */
  boolean send(String frame);

  /**
   * Queues a log entry (SSE marks it with its {@code id:}); the answer is as for {@link #send}.
   * By default the entry's frame, sent like any other.
   */
  default boolean send(LogEntry entry) {
    return send(entry.frame());
  }

  /**
   * Queues a frame shared with other connections, written from its encoded bytes without copying
   * them; the answer is as for {@link #send}. By default its text, sent like any other frame.
   */
  default boolean send(SharedFrame frame) {
    return send(frame.text());
  }

  /** Completes when the queue is at most half full again, in frames and in bytes. */
  Future<Void> writable();

  /** Sends the transport's heartbeat (WebSocket: a ping frame and a {@code ping} JSON frame). */
  void heartbeat();

  /** True when the client must show life (frames, pongs) to be kept open. */
  boolean expectsLiveness();

  /** Closes with {@code code}; the transport then reports the close to its session. */
  void close(CloseCode code);
}
