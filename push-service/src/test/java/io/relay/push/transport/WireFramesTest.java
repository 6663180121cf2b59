package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relay.model.LogEntry;
import io.relay.model.Seq;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WireFramesTest {

  /** The wire bytes {@code append} writes, checking that the announced length was exact. */
  private static ByteBuf wire(int length, Consumer<ByteBuf> append) {
    ByteBuf out = Unpooled.buffer(length, length); // cannot grow: the length must be right
    append.accept(out);
    assertThat(out.readableBytes()).isEqualTo(length);
    return out;
  }

  private static ByteBuf text(String text) {
    return wire(WireFrames.textLength(text.getBytes(StandardCharsets.UTF_8).length), out -> WireFrames.text(out, text));
  }

  private static ByteBuf text(byte[] payload) {
    return wire(WireFrames.textLength(payload.length), out -> WireFrames.text(out, payload));
  }

  /** One frame as a client reads it. */
  private record Frame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** Reads every frame in {@code wire} as RFC 6455 defines them, checking that none is masked. */
  private static List<Frame> read(ByteBuf wire) {
    List<Frame> frames = new ArrayList<>();
    try {
      while (wire.isReadable()) {
        int first = wire.readUnsignedByte();
        int second = wire.readUnsignedByte();
        assertThat(second & 0x80).as("server frames are not masked").isZero();
        assertThat(first & 0x70).as("no extension bits (not compressed)").isZero();
        long length = second & 0x7F;
        if (length == 126) {
          length = wire.readUnsignedShort();
        } else if (length == 127) {
          length = wire.readLong();
        }
        byte[] payload = new byte[(int) length];
        wire.readBytes(payload);
        frames.add(new Frame((first & 0x80) != 0, first & 0x0F, payload));
      }
      return frames;
    } finally {
      wire.release();
    }
  }

  /** The message the frames spell, checking they are a text frame and its continuations. */
  private static String message(List<Frame> frames) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < frames.size(); i++) {
      Frame frame = frames.get(i);
      assertThat(frame.opcode()).isEqualTo(i == 0 ? 1 : 0);
      assertThat(frame.fin()).isEqualTo(i == frames.size() - 1);
      assertThat(frame.payload().length).isLessThanOrEqualTo(WireFrames.MAX_FRAME_PAYLOAD);
      bytes.writeBytes(frame.payload());
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTextFrameCarriesItsUtf8WithTheShortestLengthField() {
    for (int size : new int[] {0, 1, 125, 126, 127, 65_535, 65_536}) {
      String text = "é".repeat(size / 2) + "x".repeat(size % 2);
      assertThat(WireFrames.textLength(size)).isEqualTo(WireFrames.headerLength(size) + size);

      List<Frame> frames = read(text(text));

      assertThat(frames).hasSize(1);
      assertThat(message(frames)).isEqualTo(text);
    }
  }

  @Test
  void sharedBytesAreCopiedNotConsumed() {
    byte[] shared = "{\"offset\":\"1-0\",\"body\":\"s\u00e9at 12 \u2713\"}".getBytes(StandardCharsets.UTF_8);

    String first = message(read(text(shared)));
    String second = message(read(text(shared)));

    assertThat(first).isEqualTo(second).isEqualTo(new String(shared, StandardCharsets.UTF_8));
  }

  @Test
  void aLongMessageIsSplitIntoFragmentsOfAtMost64KiB() {
    String text = "{\"body\":\"" + "a\u00e9\u2713".repeat(50_000) + "\"}";
    List<Frame> fromString = read(text(text));
    List<Frame> fromBytes = read(text(text.getBytes(StandardCharsets.UTF_8)));

    assertThat(fromString).hasSizeGreaterThan(1);
    assertThat(message(fromString)).isEqualTo(text);
    assertThat(message(fromBytes)).isEqualTo(text);
  }

  @Test
  void anEntryFrameIsByteForByteTheFrameOfTheLogEntry() {
    List<LogEntry> entries = List.of(
        new LogEntry(new Seq(1_732_300_000_000L, 0), "{\"type\":\"message\",\"body\":\"h\u00e9llo \u2713\"}"),
        new LogEntry(new Seq(0, 0), "{}"),
        new LogEntry(new Seq(9, 1234567890123L), "{\"a\":1}"),
        new LogEntry(new Seq(Long.MAX_VALUE, Long.MAX_VALUE), "{\"type\":\"x\"}"),
        new LogEntry(new Seq(5, 7), "{\"body\":\"" + "z".repeat(70_000) + "\"}"));
    for (LogEntry entry : entries) {
      byte[] rest = entry.json().substring(1).getBytes(StandardCharsets.UTF_8);

      String sent = message(read(wire(WireFrames.entryLength(entry.seq(), rest),
          out -> WireFrames.entry(out, entry.seq(), rest))));

      assertThat(sent).isEqualTo(entry.frame());
    }
  }

  @Test
  void aPingCarriesItsPayload() {
    byte[] payload = "relay".getBytes(StandardCharsets.US_ASCII);
    List<Frame> frames = read(wire(2 + payload.length, out -> WireFrames.ping(out, payload)));

    assertThat(frames).singleElement().satisfies(ping -> {
      assertThat(ping.opcode()).isEqualTo(9);
      assertThat(ping.fin()).isTrue();
      assertThat(ping.text()).isEqualTo("relay");
    });
  }
}
