package io.relay.push.transport;

import io.relay.push.session.SharedFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.function.Function;

/**
 * WebSocket text frames written from bytes encoded once for many sockets. Vert.x's public
 * factory {@code WebSocketFrame.textFrame(String, boolean)} (like {@code writeTextMessage})
 * encodes the string again for every socket, and its buffer is released after one write, so it
 * cannot be shared. Here each socket gets its own frame over a read-only slice of the same bytes:
 * no copy, and a write can neither move another socket's read position nor free the bytes.
 */
final class SharedTextFrames {

  /** The UTF-8 bytes of the frame's JSON: what every WebSocket of this node writes. */
  static final Function<SharedFrame, Buffer> UTF8 = frame -> Buffer.buffer(frame.text());

  /** Above this, frames go out as ordinary text messages, which Vert.x splits into fragments. */
  static final int MAX_SINGLE_FRAME = 64 * 1024;

  private SharedTextFrames() {
  }

  /** A final text frame over {@code bytes}, which stay shared and unreleased. */
  static WebSocketFrame of(Buffer bytes) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) bytes).getByteBuf(), true);
  }
}
