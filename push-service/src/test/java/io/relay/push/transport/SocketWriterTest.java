package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.relay.push.session.SharedFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A large shared frame goes as a view to a socket with more than {@link SocketWriter#COPY_BACKLOG}
 * bytes waiting, and a view holds the one shared buffer only until written out.
 */
class SocketWriterTest {

  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
  private final SendQueue queue = new SendQueue(1000, 1 << 20);
  private final SocketWriter writer = new SocketWriter(ctx, queue);
  private final SharedFrame frame = new SharedFrame("channel", "{\"offset\":\"1-0\",\"type\":\"message\"}", true);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void aLargeSharedFrameGoesAsAViewOnlyWhileMoreThanTheCopyBacklogWaits() {
    int large = SocketWriter.ALWAYS_COPY + 1;
    assertThat(writer.prefersView(large)).isFalse();
    append("{\"body\":\"" + "x".repeat(SocketWriter.COPY_BACKLOG / 2) + "\"}");
    assertThat(writer.prefersView(large)).isFalse();
    append("{\"body\":\"" + "x".repeat(SocketWriter.COPY_BACKLOG / 2) + "\"}");
    assertThat(writer.prefersView(large)).isTrue();
    assertThat(writer.prefersView(SocketWriter.ALWAYS_COPY)).isFalse(); // small frames are always copied

    channel.runPendingTasks(); // the flush after the task: written out, the queue is empty again
    outbound().forEach(ByteBuf::release);
    assertThat(queue.bytes()).isZero();
    assertThat(writer.prefersView(large)).isFalse();
  }

  @Test
  void aViewOfTheSharedFrameGoesOutWholeAndLeavesTheBufferToTheFrame() {
    ByteBuf shared = frame.encoded(WireFrames.SHARED);
    byte[] small = append("{\"n\":1}");

    assertThat(writer.writeShared(shared)).isTrue();
    assertThat(shared.refCnt()).isEqualTo(2); // the view holds it until written out
    channel.runPendingTasks();

    List<ByteBuf> written = outbound();
    byte[] all = written.stream().map(ByteBufUtil::getBytes).reduce(new byte[0], SocketWriterTest::concat);
    assertThat(all).isEqualTo(concat(small, ByteBufUtil.getBytes(shared))); // in order, nothing twice
    written.forEach(ByteBuf::release);
    assertThat(shared.refCnt()).isEqualTo(1);
    assertThat(shared.readableBytes()).isEqualTo(WireFrames.textLength(frame.utf8().length));
    assertThat(queue.frames()).isZero();
    assertThat(queue.bytes()).isZero();
  }

  /** Appends a text frame as the transport does; its wire bytes. */
  private byte[] append(String text) {
    ByteBuf out = writer.append(WireFrames.textLength(text.length()));
    int start = out.writerIndex();
    WireFrames.text(out, text);
    assertThat(writer.appended(start)).isTrue();
    return ByteBufUtil.getBytes(out, start, out.writerIndex() - start);
  }

  private List<ByteBuf> outbound() {
    List<ByteBuf> all = new ArrayList<>();
    for (Object message; (message = channel.readOutbound()) != null; ) {
      all.add((ByteBuf) message);
    }
    return all;
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
