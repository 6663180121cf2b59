package io.relay.push.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.VoidChannelPromise;

/**
 * Writes one WebSocket's frames, encoded by {@link WireFrames}, straight to its Netty channel:
 * from the context of the connection's Vert.x handler, so they pass Netty's WebSocket encoders
 * (which let bytes through untouched) to the socket. Frames meant for this socket alone are
 * appended to one buffer per event-loop task, and so is a frame fanned out to many sockets unless
 * it is large and this socket is behind: then it is written as a view of its one shared buffer,
 * not copied, so a burst of large frames to many slow readers holds its bytes once.
 * Everything written during a task is flushed once that task is over (see {@link LoopFlusher}):
 * one system call and one completion per socket per burst, and no Vert.x frame object, future or
 * promise per frame. The {@link SendQueue} counts each frame as it
 * is queued and gets the task's frames back when the last write of the task completes (Netty
 * completes a channel's writes in order).
 * <p>
 * Runs on the channel's event loop only ({@link #inLoop()}); a frame Vert.x writes itself (a
 * pong, the close frame) must come after {@link #flush()} to keep its place.
 */
final class SocketWriter {

  private static final int MIN_BATCH = 512;
  /**
   * Bytes waiting for a socket up to which a frame shared with other sockets is copied into its
   * batch rather than written as a view (see {@link #prefersView}): small next to the send queue's
   * byte bound and to what the kernel buffers per socket anyway.
   */
  static final int COPY_BACKLOG = 16 * 1024;
  /**
   * Frames up to this size are copied whatever waits: a view costs Netty about as much memory per
   * socket (a derived buffer, an outbound entry and an NIO buffer: some 200 bytes) as a copy.
   */
  static final int ALWAYS_COPY = 1024;

  private final ChannelHandlerContext ctx;
  private final SendQueue queue;
  /** For writes before the last of a task, and tasks without counted frames: nothing to give back. */
  private final VoidChannelPromise noAnswer;
  /** Frames for this socket alone, appended since the last write to Netty. */
  private ByteBuf batch;
  /** Something was handed to Netty since the last flush. */
  private boolean written;
  private boolean flushScheduled;
  private int taskFrames;
  private long taskBytes;
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
      scheduleFlush();
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
    return count(batch.writerIndex() - start);
  }

  /**
   * True when a frame of {@code size} bytes shared with other sockets should reach this one as a
   * view ({@link #writeShared}) rather than a copy: it is larger than {@link #ALWAYS_COPY} and more
   * than {@link #COPY_BACKLOG} bytes would wait for this socket with it. So a burst of large
   * frames to many slow readers holds their bytes once.
   */
  boolean prefersView(int size) {
    return size > ALWAYS_COPY && queue.bytes() + size > COPY_BACKLOG;
  }

  /**
   * Writes {@code frame}, a complete frame shared with other sockets, as a view of its bytes: the
   * buffer is neither copied nor consumed. False when the send queue is now over a bound.
   */
  boolean writeShared(ByteBuf frame) {
    handBatchOver();
    ctx.write(frame.retainedDuplicate(), noAnswer);
    written = true;
    scheduleFlush();
    return count(frame.readableBytes());
  }

  /** Hands what this task wrote to Netty and flushes the socket. */
  void flush() {
    flushScheduled = false;
    if (taskFrames == 0) {
      handBatchOver();
      if (written) {
        written = false;
        ctx.flush();
      }
      return;
    }
    Written done = new Written(queue, taskFrames, taskBytes);
    taskFrames = 0;
    taskBytes = 0;
    ByteBuf last = batch != null ? batch : Unpooled.EMPTY_BUFFER; // an empty buffer marks the end
    batch = null;
    written = false;
    ctx.writeAndFlush(last, ctx.newPromise()).addListener(done);
  }

  private boolean count(int size) {
    taskFrames++;
    taskBytes += size;
    if (queue.queued(size)) {
      return true;
    }
    overBound = true;
    return false;
  }

  private void handBatchOver() {
    if (batch != null) {
      ByteBuf out = batch;
      batch = null; // first: nothing the write sets off may hand the same buffer over again
      written = true;
      ctx.write(out, noAnswer);
    }
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      LoopFlusher.schedule(this, ctx.executor());
    }
  }

  /** A task's frames left the queue (written out, or failed with the connection). */
  private record Written(SendQueue queue, int frames, long bytes) implements ChannelFutureListener {
    @Override
    public void operationComplete(ChannelFuture future) {
      queue.written(frames, bytes);
    }
  }
}
