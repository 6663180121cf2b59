package io.relay.push.transport;

import io.relay.model.CloseCode;
import io.relay.model.ErrorCode;
import io.relay.model.LogEntry;
import io.relay.push.session.SharedFrame;
import io.relay.push.session.Transport;
import io.relay.service.ErrorRenderer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * A Server-Sent Events stream as a {@link Transport}: log entries as {@code event: message} with
 * {@code id: <seq>} (so a browser's {@code EventSource} resumes with {@code Last-Event-ID}), other
 * frames as events named by their {@code type}, the heartbeat as a comment line. The headers go
 * out with the first event, so a setup failure can still be answered as a docs/protocol.md#errors error.
 */
final class SseTransport implements Transport {

  private static final Buffer HEARTBEAT = Buffer.buffer(": ping\n\n");
  private static final Function<SharedFrame, Buffer> SHARED_EVENT =
      frame -> Buffer.buffer(event(frame.event(), null, frame.text()));

  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final SendQueue queue;
  private boolean closing;

  SseTransport(RoutingContext ctx, int queueMax, int queueBytes) {
    this.ctx = ctx;
    this.response = ctx.response();
    this.queue = new SendQueue(queueMax, queueBytes);
  }

  @Override
  public String name() {
    return "sse";
  }

  @Override
  public boolean send(String frame) {
    return write(event(new JsonObject(frame).getString("type"), null, frame));
  }

  @Override
  public boolean send(LogEntry entry) {
    return write(event("message", entry.seq().toString(), entry.frame()));
  }

  /** Channel messages: {@code event: channel}, no {@code id:} (that stays the user log's seq). */
  @Override
  public boolean send(SharedFrame frame) {
    return write(frame.encoded(SHARED_EVENT));
  }

  @Override
  public Future<Void> writable() {
    return queue.writable();
  }

  @Override
  public void heartbeat() {
    write(HEARTBEAT);
  }

  /** The client cannot send on this stream, so only a closed connection ends it. */
  @Override
  public boolean expectsLiveness() {
    return false;
  }

  /**
   * Ends the stream with a {@code close} event carrying the WebSocket-equivalent code, so a client
   * knows whether to fetch a new token (4001) or just reconnect. Before the first event it answers
   * with a docs/protocol.md#errors error instead: {@code 401} for a token that expired, else {@code 503}.
   */
  @Override
  public void close(CloseCode code) {
    if (closing) {
      return;
    }
    closing = true;
    queue.close();
    if (response.ended() || response.closed()) {
      return;
    }
    if (!response.headWritten()) {
      ErrorRenderer.send(ctx, code == CloseCode.BAD_TOKEN ? ErrorCode.UNAUTHORIZED : ErrorCode.UNAVAILABLE,
          code.reason());
      return;
    }
    String frame = new JsonObject().put("type", "close").put("code", code.code()).put("reason", code.reason())
        .encode();
    response.end(event("close", null, frame));
  }

  private boolean write(String text) {
    return write(Buffer.buffer(text));
  }

  private boolean write(Buffer text) {
    if (closing || response.closed()) {
      return true;
    }
    if (!response.headWritten()) {
      response.setStatusCode(200)
          .setChunked(true)
          .putHeader("Content-Type", "text/event-stream")
          .putHeader("Cache-Control", "no-cache")
          .putHeader("X-Accel-Buffering", "no");
    }
    return queue.track(response.write(text), text.length());
  }

  /** One event; a frame is one line of JSON, but split it anyway so no newline can end the event early. */
  private static String event(String name, String id, String data) {
    StringBuilder event = new StringBuilder("event: ").append(name).append('\n');
    if (id != null) {
      event.append("id: ").append(id).append('\n');
    }
    for (String line : data.split("\n", -1)) {
      event.append("data: ").append(line).append('\n');
    }
    return event.append('\n').toString();
  }
}
