package io.relay.push;

import io.relay.model.CloseCode;
import io.relay.model.Frames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * A WebSocket as a {@link Transport}. Counts frames handed to the socket and not yet written
 * out: that count is the bounded send queue (a client that stops reading makes it grow).
 */
final class WebSocketTransport implements Transport {

  private static final Buffer PING_PAYLOAD = Buffer.buffer("relay");

  private final ServerWebSocket socket;
  private final int queueMax;
  private int queued;
  private Promise<Void> drained;
  private boolean closing;

  WebSocketTransport(ServerWebSocket socket, int queueMax) {
    this.socket = socket;
    this.queueMax = queueMax;
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
    queued++;
    socket.writeTextMessage(frame).onComplete(ar -> written());
    return queued;
  }

  private void written() {
    queued--;
    if (drained != null && queued <= queueMax / 2) {
      Promise<Void> waiting = drained;
      drained = null;
      waiting.tryComplete();
    }
  }

  @Override
  public Future<Void> writable() {
    if (queued <= queueMax / 2 || closing) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
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
    if (drained != null) {
      drained.tryComplete();
    }
    socket.close(code.code(), code.reason());
  }
}
