package io.relay.push.transport;

import io.relay.model.CloseCode;
import io.relay.model.Frames;
import io.relay.push.session.SharedFrame;
import io.relay.push.session.Transport;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/** A WebSocket as a {@link Transport}: JSON text frames, ping frames, close codes. */
final class WebSocketTransport implements Transport {

  private static final Buffer PING_PAYLOAD = Buffer.buffer("relay");

  private final ServerWebSocket socket;
  private final SendQueue queue;
  private boolean closing;

  WebSocketTransport(ServerWebSocket socket, int queueMax) {
    this.socket = socket;
    this.queue = new SendQueue(queueMax);
  }

  @Override
  public String name() {
    return "ws";
  }

  @Override
  public int send(String frame) {
    if (closing) {
      return 0;
    }
    return queue.track(socket.writeTextMessage(frame));
  }

  /** The bytes are encoded once per frame for every WebSocket of this node, not once per socket. */
  @Override
  public int send(SharedFrame frame) {
    if (closing) {
      return 0;
    }
    Buffer bytes = frame.encoded(SharedTextFrames.UTF8);
    if (bytes.length() > SharedTextFrames.MAX_SINGLE_FRAME) {
      return send(frame.text());
    }
    return queue.track(socket.writeFrame(SharedTextFrames.of(bytes)));
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
