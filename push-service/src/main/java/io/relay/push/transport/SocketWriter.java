package io.relay.push.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.VoidChannelPromise;
import io.netty.util.concurrent.EventExecutor;

/**
 * Writes one WebSocket's frames, encoded by {@link WireFrames}, straight to its Netty channel:
 * from the context of the connection's Vert.x handler, so they pass Netty's WebSocket encoders
 * (which let bytes through untouched) to the socket. The frames of one event-loop task are
 * appended to one buffer, handed to Netty and flushed once that task is over (see
 * {@link LoopFlusher}): one write, one system call and one completion per socket per burst, and
 * no Vert.x frame object, future or promise per frame. The {@link SendQueue} counts each frame as
 * it is appended and gets the batch back when its write completes.
 * <p>
 * Runs on the channel's event loop only ({@link #inLoop()}); a frame Vert.x writes itself (a
 * pong, the close frame) must come after {@link #flush()} to keep its place.
 */
final class SocketWriter {

  private static final int MIN_BATCH = 512;

  private final ChannelHandlerContext ctx;
  private final SendQueue queue;
  /** For a batch without counted frames (a ping alone): nothing to give back. */
  private final VoidChannelPromise noAnswer;
  private ByteBuf batch;
  private int batchFrames;
  private long batchBytes;
  /** Set on the event loop when a frame passed a bound; what a send from another thread answers. */
  private volatile boolean overBound;

  SocketWriter(ChannelHandlerContext ctx, SendQueue queue) {
    this.ctx = ctx;
    this.queue = queue;
    this.noAnswer = new VoidChannelPromise(ctx.channel(), false);
  }

  SendQueue queue() {
    return queue;
  }

  boolean inLoop() {
    return ctx.executor().inEventLoop();
  }

  /** Runs {@code task} on the channel's event loop. */
  void execute(Runnable task) {
    ctx.executor().execute(task);
  }

  /** True once a frame passed a bound of the send queue. */
  boolean overBound() {
    return overBound;
  }

  /** The buffer to append the next frame to, with room for {@code size} more bytes. */
  ByteBuf append(int size) {
    if (batch == null) {
      batch = ctx.alloc().directBuffer(Math.max(size, MIN_BATCH));
      EventExecutor loop = ctx.executor();
      LoopFlusher.schedule(this, loop);
    } else {
      batch.ensureWritable(size);
    }
    return batch;
  }

  /**
   * The frame appended since writer index {@code start} is complete: counted in the send queue.
   * False when the queue is now over a bound.
   */
  boolean appended(int start) {
    int size = batch.writerIndex() - start;
    batchFrames++;
    batchBytes += size;
    if (queue.queued(size)) {
      return true;
    }
    overBound = true;
    return false;
  }

  /** Hands the frames appended so far to Netty and flushes the socket. */
  void flush() {
    ByteBuf frames = batch;
    if (frames == null) {
      return;
    }
    batch = null;
    if (batchFrames == 0) {
      ctx.writeAndFlush(frames, noAnswer);
      return;
    }
    Written written = new Written(queue, batchFrames, batchBytes);
    batchFrames = 0;
    batchBytes = 0;
    ctx.writeAndFlush(frames, ctx.newPromise()).addListener(written);
  }

  /** A batch of frames left the queue (written out, or failed with the connection). */
  private record Written(SendQueue queue, int frames, long bytes) implements ChannelFutureListener {
    @Override
    public void operationComplete(ChannelFuture future) {
      queue.written(frames, bytes);
    }
  }
}
