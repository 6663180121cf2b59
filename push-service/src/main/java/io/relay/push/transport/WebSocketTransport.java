package io.relay.push.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.relay.model.CloseCode;
import io.relay.model.Frames;
import io.relay.model.LogEntry;
import io.relay.push.session.SharedFrame;
import io.relay.push.session.Transport;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket as a {@link Transport}: JSON text frames, ping frames, close codes. Frames are
 * built as wire bytes by {@link WireFrames} and written by a {@link SocketWriter} below Vert.x's
 * WebSocket API: a channel frame's bytes are encoded once for every socket, a room entry's JSON
 * once for every member, and the frames of one event-loop task go to each socket as one write and
 * one flush. Vert.x still does
 * the handshake, reads client frames, answers pings and closes.
 */
final class WebSocketTransport implements Transport {

  private static final byte[] PING_PAYLOAD = "relay".getBytes(StandardCharsets.US_ASCII);

  private final ServerWebSocket socket;
  private final SocketWriter writer;
  private boolean closing;

  /** {@code channel}: the context of the connection's Vert.x handler in its Netty pipeline. */
  WebSocketTransport(ServerWebSocket socket, ChannelHandlerContext channel, int queueMax, int queueBytes) {
    this.socket = socket;
    this.writer = new SocketWriter(channel, new SendQueue(queueMax, queueBytes));
  }

  @Override
  public String name() {
    return "ws";
  }

  @Override
  public boolean send(String frame) {
    if (closing) {
      return true;
    }
    if (!writer.inLoop()) {
      writer.execute(() -> send(frame));
      return !writer.overBound();
    }
    ByteBuf out = writer.append(WireFrames.textLength(ByteBufUtil.utf8Bytes(frame)));
    int start = out.writerIndex();
    WireFrames.text(out, frame);
    return writer.appended(start);
  }

  /** The entry JSON after {@code seq} is encoded once for all the members a room entry goes to. */
  @Override
  public boolean send(LogEntry entry) {
    if (closing) {
      return true;
    }
    if (!writer.inLoop()) {
      writer.execute(() -> send(entry));
      return !writer.overBound();
    }
    byte[] rest = EntryRests.of(entry.json());
    ByteBuf out = writer.append(WireFrames.entryLength(entry.seq(), rest));
    int start = out.writerIndex();
    WireFrames.entry(out, entry.seq(), rest);
    return writer.appended(start);
  }

  /**
   * A frame's UTF-8 is encoded once for every socket and copied into this socket's batch: one
   * buffer per socket per burst, written by the same code (and the same JIT-compiled path,
   * profiled on one buffer class) as direct messages. A large frame fanned out to many sockets
   * goes to a socket that is behind as a view of one complete wire frame shared by every
   * WebSocket of this node instead, so slow readers do not each hold a copy.
   */
  @Override
  public boolean send(SharedFrame frame) {
    if (closing) {
      return true;
    }
    if (!writer.inLoop()) {
      writer.execute(() -> send(frame));
      return !writer.overBound();
    }
    byte[] bytes = frame.utf8();
    int length = WireFrames.textLength(bytes.length);
    if (frame.fannedOut() && writer.prefersView(length)) {
      return writer.writeShared(frame.encoded(WireFrames.SHARED));
    }
    ByteBuf out = writer.append(length);
    int start = out.writerIndex();
    WireFrames.text(out, bytes);
    return writer.appended(start);
  }

  @Override
  public Future<Void> writable() {
    return writer.queue().writable();
  }

  /** A {@code ping} JSON frame and a WebSocket ping, flushed with the frames around them. */
  @Override
  public void heartbeat() {
    if (closing) {
      return;
    }
    if (!writer.inLoop()) {
      writer.execute(this::heartbeat);
      return;
    }
    send(Frames.ping());
    WireFrames.ping(writer.append(2 + PING_PAYLOAD.length), PING_PAYLOAD);
  }

  @Override
  public boolean expectsLiveness() {
    return true;
  }

  @Override
  public void close(CloseCode code) {
    if (closing) {
      return;
    }
    closing = true;
    writer.queue().close();
    // Vert.x writes the close frame at once: the frames appended before it go first.
    if (writer.inLoop()) {
      writer.flush();
    } else {
      writer.execute(writer::flush);
    }
    socket.close(code.code(), code.reason());
  }
}
