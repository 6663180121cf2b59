package io.relay.push.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.VoidChannelPromise;
import io.netty.util.concurrent.EventExecutor;

/**
 * Writes one WebSocket's frames, already encoded by {@link WireFrames}, straight to its Netty
 * channel: from the context of the connection's Vert.x handler, so they pass Netty's WebSocket
 * encoders (which let bytes through untouched) to the socket. No Vert.x frame object, future or
 * promise per frame: the frames written in one event-loop task are flushed together once that
 * task is over (see {@link LoopFlusher}), and the {@link SendQueue} learns that they are out from
 * a single marker written after them. Control frames that Vert.x writes itself (close, pong) go
 * through the same channel behind the frames already written, so the order is kept.
 * <p>
 * Writes happen on the channel's event loop; a call from another thread is handed to it.
 */
final class SocketWriter {

  private final ChannelHandlerContext ctx;
  private final SendQueue queue;
  /** Frames need no answer: a failed one fails the marker after it, which gives its count back. */
  private final VoidChannelPromise noAnswer;
  private int batchFrames;
  private long batchBytes;
  private boolean flushPending;
  /** Set on the event loop when a write passed a bound; what a write from another thread answers. */
  private volatile boolean overBound;

  SocketWriter(ChannelHandlerContext ctx, SendQueue queue) {
    this.ctx = ctx;
    this.queue = queue;
    this.noAnswer = new VoidChannelPromise(ctx.channel(), false);
  }

  ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  SendQueue queue() {
    return queue;
  }

  /** Queues {@code frame} (released once written); false when the send queue is now over a bound. */
  boolean write(ByteBuf frame) {
    EventExecutor loop = ctx.executor();
    if (!loop.inEventLoop()) {
      loop.execute(() -> write(frame));
      return !overBound;
    }
    int size = frame.readableBytes();
    ctx.write(frame, noAnswer);
    batchFrames++;
    batchBytes += size;
    boolean within = queue.queued(size);
    if (!within) {
      overBound = true;
    }
    flushSoon(loop);
    return within;
  }

  /** Queues a control frame (a ping): flushed with the others, not counted in the send queue. */
  void writeControl(ByteBuf frame) {
    EventExecutor loop = ctx.executor();
    if (!loop.inEventLoop()) {
      loop.execute(() -> writeControl(frame));
      return;
    }
    ctx.write(frame, noAnswer);
    flushSoon(loop);
  }

  /** Flushes what this task wrote, behind a marker that gives the frames back to the send queue once out. */
  void flush() {
    flushPending = false;
    if (batchFrames == 0) {
      ctx.flush();
      return;
    }
    Written written = new Written(queue, batchFrames, batchBytes);
    batchFrames = 0;
    batchBytes = 0;
    ChannelFuture marker = ctx.writeAndFlush(Unpooled.EMPTY_BUFFER, ctx.newPromise());
    marker.addListener(written);
  }

  private void flushSoon(EventExecutor loop) {
    if (!flushPending) {
      flushPending = true;
      LoopFlusher.schedule(this, loop);
    }
  }

  /** A batch of frames left the queue: Netty completes the marker after every frame before it, failed or not. */
  private record Written(SendQueue queue, int frames, long bytes) implements ChannelFutureListener {
    @Override
    public void operationComplete(ChannelFuture future) {
      queue.written(frames, bytes);
    }
  }
}
