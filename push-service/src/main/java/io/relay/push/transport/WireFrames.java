package io.relay.push.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.relay.model.LogEntry;
import io.relay.model.Seq;
import java.nio.charset.StandardCharsets;

/**
 * WebSocket frames as the bytes that go on the wire (RFC 6455 §5.2), built here instead of by
 * Vert.x so that a frame's payload is encoded once and copied, not re-encoded, for every socket.
 * Server frames are never masked; a text message longer than {@link #MAX_FRAME_PAYLOAD} is split
 * into fragments, which clients with a frame-size limit (64 KiB by default in Vert.x and Netty)
 * still accept.
 */
final class WireFrames {

  /** Above this a text message goes out as several fragments. */
  static final int MAX_FRAME_PAYLOAD = 64 * 1024;

  private static final int FIN = 0x80;
  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_PING = 0x9;
  private static final byte[] SEQ_HEAD = LogEntry.FRAME_HEAD.getBytes(StandardCharsets.US_ASCII);

  private WireFrames() {
  }

  /** A text message of {@code payload}, UTF-8 bytes shared with other sockets (copied, not kept). */
  static ByteBuf text(ByteBufAllocator alloc, byte[] payload) {
    if (payload.length > MAX_FRAME_PAYLOAD) {
      return fragmented(alloc, payload);
    }
    ByteBuf frame = alloc.directBuffer(headerLength(payload.length) + payload.length);
    header(frame, FIN | OP_TEXT, payload.length);
    return frame.writeBytes(payload);
  }

  /** A text message of {@code text}, encoded straight into the frame. */
  static ByteBuf text(ByteBufAllocator alloc, String text) {
    int length = ByteBufUtil.utf8Bytes(text);
    if (length > MAX_FRAME_PAYLOAD) {
      return fragmented(alloc, text.getBytes(StandardCharsets.UTF_8));
    }
    ByteBuf frame = alloc.directBuffer(headerLength(length) + length);
    header(frame, FIN | OP_TEXT, length);
    ByteBufUtil.writeUtf8(frame, text);
    return frame;
  }

  /**
   * A log entry's frame, {@code {"seq":"<seq>",<rest>}} as {@link LogEntry#frame()} spells it, from
   * {@code rest}: the UTF-8 bytes of the entry JSON after its opening brace, shared by every member
   * of a room. Only the few bytes of the seq are written per frame.
   */
  static ByteBuf entry(ByteBufAllocator alloc, Seq seq, byte[] rest) {
    boolean comma = rest.length == 0 || rest[0] != '}';
    int length = SEQ_HEAD.length + decimalLength(seq.millis()) + 1 + decimalLength(seq.counter()) + 1
        + (comma ? 1 : 0) + rest.length;
    if (length > MAX_FRAME_PAYLOAD) {
      ByteBuf payload = alloc.heapBuffer(length);
      try {
        entryPayload(payload, seq, comma, rest);
        return fragmented(alloc, ByteBufUtil.getBytes(payload));
      } finally {
        payload.release();
      }
    }
    ByteBuf frame = alloc.directBuffer(headerLength(length) + length);
    header(frame, FIN | OP_TEXT, length);
    entryPayload(frame, seq, comma, rest);
    return frame;
  }

  /** A ping frame carrying {@code payload} (at most 125 bytes). */
  static ByteBuf ping(ByteBufAllocator alloc, byte[] payload) {
    ByteBuf frame = alloc.directBuffer(2 + payload.length);
    header(frame, FIN | OP_PING, payload.length);
    return frame.writeBytes(payload);
  }

  /** Bytes of the header of a server frame (no masking key) with {@code length} bytes of payload. */
  static int headerLength(int length) {
    return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
  }

  private static void entryPayload(ByteBuf out, Seq seq, boolean comma, byte[] rest) {
    out.writeBytes(SEQ_HEAD);
    writeDecimal(out, seq.millis());
    out.writeByte('-');
    writeDecimal(out, seq.counter());
    out.writeByte('"');
    if (comma) {
      out.writeByte(',');
    }
    out.writeBytes(rest);
  }

  /** A text message as a first frame and continuation frames of at most {@link #MAX_FRAME_PAYLOAD} bytes, in one buffer. */
  private static ByteBuf fragmented(ByteBufAllocator alloc, byte[] payload) {
    int fragments = (payload.length + MAX_FRAME_PAYLOAD - 1) / MAX_FRAME_PAYLOAD;
    ByteBuf frames = alloc.directBuffer(payload.length + fragments * headerLength(MAX_FRAME_PAYLOAD));
    for (int from = 0; from < payload.length; from += MAX_FRAME_PAYLOAD) {
      int length = Math.min(MAX_FRAME_PAYLOAD, payload.length - from);
      boolean last = from + length == payload.length;
      header(frames, (last ? FIN : 0) | (from == 0 ? OP_TEXT : OP_CONTINUATION), length);
      frames.writeBytes(payload, from, length);
    }
    return frames;
  }

  private static void header(ByteBuf out, int finAndOpcode, int length) {
    out.writeByte(finAndOpcode);
    if (length < 126) {
      out.writeByte(length);
    } else if (length <= 0xFFFF) {
      out.writeByte(126);
      out.writeShort(length);
    } else {
      out.writeByte(127);
      out.writeLong(length);
    }
  }

  private static int decimalLength(long value) {
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    return digits;
  }

  private static void writeDecimal(ByteBuf out, long value) {
    int digits = decimalLength(value);
    int end = out.writerIndex() + digits;
    out.ensureWritable(digits);
    long rest = value;
    for (int i = end - 1; i >= out.writerIndex(); i--) {
      out.setByte(i, '0' + (int) (rest % 10));
      rest /= 10;
    }
    out.writerIndex(end);
  }
}
