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

/** A shared frame is copied into the batch of a socket that keeps up, and written as a view to one that is behind. */
class SocketWriterTest {

  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
  private final SendQueue queue = new SendQueue(1000, 1 << 20);
  private final SocketWriter writer = new SocketWriter(ctx, queue);
  private final SharedFrame frame = new SharedFrame("channel", "{\"offset\":\"1-0\",\"type\":\"message\"}", true);
  private final ByteBuf shared = frame.encoded(WireFrames.SHARED);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void aSocketThatKeepsUpGetsItsFramesCopiedIntoOneBuffer() {
    assertThat(writer.writeShared(shared)).isTrue();
    assertThat(writer.writeShared(shared)).isTrue();
    channel.runPendingTasks(); // the flush after the task

    List<ByteBuf> written = outbound();
    assertThat(written).hasSize(1);
    byte[] once = ByteBufUtil.getBytes(shared);
    assertThat(ByteBufUtil.getBytes(written.get(0))).isEqualTo(concat(once, once));
    assertThat(shared.refCnt()).isEqualTo(1); // nothing holds the shared buffer but the frame
    assertThat(shared.readableBytes()).isEqualTo(WireFrames.textLength(frame.utf8().length));
    written.forEach(ByteBuf::release);
    assertThat(queue.frames()).isZero(); // the write completed: the frames left the queue
    assertThat(queue.bytes()).isZero();
  }

  @Test
  void aSocketBehindGetsAViewOfTheSharedBuffer() {
    String big = "{\"body\":\"" + "x".repeat(SocketWriter.COPY_BACKLOG) + "\"}";
    ByteBuf out = writer.append(WireFrames.textLength(big.length()));
    int start = out.writerIndex();
    WireFrames.text(out, big);
    assertThat(writer.appended(start)).isTrue();
    byte[] bigFrame = ByteBufUtil.getBytes(out, start, out.writerIndex() - start);

    assertThat(writer.writeShared(shared)).isTrue();
    assertThat(shared.refCnt()).isEqualTo(2); // written as a view, which holds it until written out
    channel.runPendingTasks();

    List<ByteBuf> written = outbound();
    byte[] all = written.stream().map(ByteBufUtil::getBytes).reduce(new byte[0], SocketWriterTest::concat);
    assertThat(all).isEqualTo(concat(bigFrame, ByteBufUtil.getBytes(shared)));
    written.forEach(ByteBuf::release);
    assertThat(shared.refCnt()).isEqualTo(1);
    assertThat(shared.readableBytes()).isEqualTo(WireFrames.textLength(frame.utf8().length));
    assertThat(queue.frames()).isZero();
    assertThat(queue.bytes()).isZero();
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
