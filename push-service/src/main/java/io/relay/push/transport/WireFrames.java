package io.relay.push.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.relay.push.session.SharedFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * WebSocket frames as the bytes that go on the wire (RFC 6455, section 5.2), built here instead of by
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

  /**
   * A frame fanned out to many sockets as one complete text message, header included, in a direct
   * buffer that every socket writes a view of (so no socket copies it). Its memory is the JVM's:
   * freed by the garbage collector once the frame and every write of it are gone, so no path can
   * leak it; the reference the frame holds is never released.
   */
  static final Function<SharedFrame, ByteBuf> SHARED = frame -> {
    byte[] payload = frame.utf8();
    ByteBuf out = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(textLength(payload.length))).clear();
    text(out, payload);
    return out;
  };

  private WireFrames() {
  }

  /** Wire bytes of a text message of {@code length} bytes of UTF-8, fragments included. */
  static int textLength(int length) {
    if (length <= MAX_FRAME_PAYLOAD) {
      return headerLength(length) + length;
    }
    int fragments = (length + MAX_FRAME_PAYLOAD - 1) / MAX_FRAME_PAYLOAD;
    int last = length - (fragments - 1) * MAX_FRAME_PAYLOAD;
    return length + (fragments - 1) * headerLength(MAX_FRAME_PAYLOAD) + headerLength(last);
  }

  /** Appends a text message of {@code payload}: UTF-8 bytes shared with other sockets, copied, not kept. */
  static void text(ByteBuf out, byte[] payload) {
    if (payload.length > MAX_FRAME_PAYLOAD) {
      fragmented(out, payload);
      return;
    }
    header(out, FIN | OP_TEXT, payload.length);
    out.writeBytes(payload);
  }

  /** Appends a text message of {@code text}, encoded straight into {@code out}. */
  static void text(ByteBuf out, String text) {
    int length = ByteBufUtil.utf8Bytes(text);
    if (length > MAX_FRAME_PAYLOAD) {
      fragmented(out, text.getBytes(StandardCharsets.UTF_8));
      return;
    }
    header(out, FIN | OP_TEXT, length);
    ByteBufUtil.reserveAndWriteUtf8(out, text, length);
  }

  /** Wire bytes of {@link #entry}. */
  static int entryLength(Seq seq, byte[] rest) {
    return textLength(entryPayloadLength(seq, rest));
  }

  /**
   * Appends a log entry's frame, {@code {"seq":"<seq>",<rest>}} as {@link LogEntry#frame()} spells
   * it, from {@code rest}: the UTF-8 bytes of the entry JSON after its opening brace, shared by
   * every member of a room. Only the few bytes of the seq are written per frame.
   */
  static void entry(ByteBuf out, Seq seq, byte[] rest) {
    int length = entryPayloadLength(seq, rest);
    if (length > MAX_FRAME_PAYLOAD) {
      byte[] payload = new byte[length];
      ByteBuf wrapped = Unpooled.wrappedBuffer(payload).writerIndex(0);
      entryPayload(wrapped, seq, rest);
      fragmented(out, payload);
      return;
    }
    header(out, FIN | OP_TEXT, length);
    entryPayload(out, seq, rest);
  }

  /** Appends a ping frame carrying {@code payload} (at most 125 bytes). */
  static void ping(ByteBuf out, byte[] payload) {
    header(out, FIN | OP_PING, payload.length);
    out.writeBytes(payload);
  }

  /** Bytes of the header of a server frame (no masking key) with {@code length} bytes of payload. */
  static int headerLength(int length) {
    return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
  }

  private static boolean needsComma(byte[] rest) {
    return rest.length == 0 || rest[0] != '}';
  }

  private static int entryPayloadLength(Seq seq, byte[] rest) {
    return SEQ_HEAD.length + decimalLength(seq.millis()) + 1 + decimalLength(seq.counter()) + 1
        + (needsComma(rest) ? 1 : 0) + rest.length;
  }

  private static void entryPayload(ByteBuf out, Seq seq, byte[] rest) {
    out.writeBytes(SEQ_HEAD);
    writeDecimal(out, seq.millis());
    out.writeByte('-');
    writeDecimal(out, seq.counter());
    out.writeByte('"');
    if (needsComma(rest)) {
      out.writeByte(',');
    }
    out.writeBytes(rest);
  }

  /** Appends a text message as a first frame and continuation frames of at most {@link #MAX_FRAME_PAYLOAD} bytes. */
  private static void fragmented(ByteBuf frames, byte[] payload) {
    for (int from = 0; from < payload.length; from += MAX_FRAME_PAYLOAD) {
      int length = Math.min(MAX_FRAME_PAYLOAD, payload.length - from);
      boolean last = from + length == payload.length;
      header(frames, (last ? FIN : 0) | (from == 0 ? OP_TEXT : OP_CONTINUATION), length);
      frames.writeBytes(payload, from, length);
    }
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
