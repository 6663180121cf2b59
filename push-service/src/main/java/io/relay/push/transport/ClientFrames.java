package io.relay.push.transport;

import io.relay.model.ErrorCode;
import io.relay.model.Frames;
import io.relay.model.Seq;
import io.relay.push.channel.ConnectionChannels;
import io.relay.push.session.ClientSession;
import io.relay.push.store.Cursors;
import io.relay.push.store.Receipts;
import io.relay.service.ApiError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Client → server frames of §4: {@code ack}, {@code read}, {@code ping}, and the channel frames
 * {@code subscribe} / {@code unsubscribe} (answered once {@code hello} is out). Anything malformed
 * is answered with an {@code error} frame and the connection stays open.
 */
final class ClientFrames {

  private static final int MAX_ID_LENGTH = 64;

  private final ClientSession session;
  private final Cursors cursors;
  private final Receipts receipts;
  private final ConnectionChannels channels;

  ClientFrames(ClientSession session, Cursors cursors, Receipts receipts, ConnectionChannels channels) {
    this.session = session;
    this.cursors = cursors;
    this.receipts = receipts;
    this.channels = channels;
  }

  void handle(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      badFrame("frame is not a JSON object");
      return;
    }
    Object type = frame.getValue("type");
    if ("ping".equals(type)) {
      session.reply(Frames.pong());
    } else if ("ack".equals(type)) {
      ack(frame.getValue("seq"));
    } else if ("read".equals(type)) {
      read(frame.getValue("id"));
    } else if (ConnectionChannels.handles(type)) {
      session.greeted().onSuccess(v -> channels.handle(frame));
    } else {
      badFrame("unknown frame type: expected ack, read, ping, subscribe or unsubscribe");
    }
  }

  void rejectBinary() {
    badFrame("binary frames are not supported: send JSON text frames");
  }

  private void ack(Object seqValue) {
    if (!(seqValue instanceof String text) || !Seq.isValid(text)) {
      badFrame("ack needs a seq string");
      return;
    }
    Seq seq = Seq.parse(text);
    Seq delivered = session.lastDelivered();
    if (delivered == null || seq.isAfter(delivered)) {
      badFrame("ack for a seq this connection was not sent");
      return;
    }
    cursors.ack(session.uid(), session.device(), seq)
        .onFailure(e -> session.reply(Frames.error(ErrorCode.UNAVAILABLE, "ack not stored, send it again")));
  }

  /** Success is silent: the sender's devices get the receipt; only a refusal is answered. */
  private void read(Object idValue) {
    if (!(idValue instanceof String id) || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      badFrame("read needs the id of a message you received");
      return;
    }
    receipts.read(session.uid(), id).onFailure(e -> session.reply(e instanceof ApiError error
        ? Frames.error(error.code(), error.getMessage())
        : Frames.error(ErrorCode.UNAVAILABLE, "receipt not stored, send it again")));
  }

  private void badFrame(String message) {
    session.reply(Frames.error(ErrorCode.BAD_FRAME, message));
  }
}
