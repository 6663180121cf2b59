package io.relay.push.transport;

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
 * once for every member, and each socket is flushed once per event-loop task. Vert.x still does
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
    return closing || writer.write(WireFrames.text(writer.alloc(), frame));
  }

  /** The entry JSON after {@code seq} is encoded once for all the members a room entry goes to. */
  @Override
  public boolean send(LogEntry entry) {
    return closing || writer.write(WireFrames.entry(writer.alloc(), entry.seq(), EntryRests.of(entry.json())));
  }

  /** The bytes are encoded once per frame for every WebSocket of this node, not once per socket. */
  @Override
  public boolean send(SharedFrame frame) {
    return closing || writer.write(WireFrames.text(writer.alloc(), frame.utf8()));
  }

  @Override
  public Future<Void> writable() {
    return writer.queue().writable();
  }

  @Override
  public void heartbeat() {
    if (!closing) {
      send(Frames.ping());
      writer.writeControl(WireFrames.ping(writer.alloc(), PING_PAYLOAD));
    }
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
    socket.close(code.code(), code.reason());
  }
}
