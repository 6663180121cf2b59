package io.relay.push.transport;

import io.relay.model.CloseCode;
import io.relay.model.Frames;
import io.relay.push.session.SharedFrame;
import io.relay.push.session.Transport;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.netty.buffer.ByteBufUtil;

/** A WebSocket as a {@link Transport}: JSON text frames, ping frames, close codes. */
final class WebSocketTransport implements Transport {

  private static final Buffer PING_PAYLOAD = Buffer.buffer("relay");

  private final ServerWebSocket socket;
  private final SendQueue queue;
  private boolean closing;

  WebSocketTransport(ServerWebSocket socket, int queueMax, int queueBytes) {
    this.socket = socket;
    this.queue = new SendQueue(queueMax, queueBytes);
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
    return queue.track(socket.writeTextMessage(frame), ByteBufUtil.utf8Bytes(frame));
  }

  /** The bytes are encoded once per frame for every WebSocket of this node, not once per socket. */
  @Override
  public boolean send(SharedFrame frame) {
    if (closing) {
      return true;
    }
    Buffer bytes = frame.encoded(SharedTextFrames.UTF8);
    if (bytes.length() > SharedTextFrames.MAX_SINGLE_FRAME) {
      return send(frame.text());
    }
    return queue.track(socket.writeFrame(SharedTextFrames.of(bytes)), bytes.length());
  }

  @Override
  public Future<Void> writable() {
    return queue.writable();
  }

  @Override
  public void heartbeat() {
    if (!closing) {
      send(Frames.ping());
      socket.writePing(PING_PAYLOAD);
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
    queue.close();
    socket.close(code.code(), code.reason());
  }
}
