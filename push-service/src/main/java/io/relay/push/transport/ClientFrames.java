package io.relay.push.transport;

import io.relay.model.ErrorCode;
import io.relay.model.Frames;
import io.relay.model.Seq;
import io.relay.push.channel.ConnectionChannels;
import io.relay.push.session.ClientSession;
import io.relay.push.store.Cursors;
import io.relay.push.store.Receipts;
import io.relay.push.store.Typing;
import io.relay.service.ApiError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Client → server frames of docs/protocol.md#websocket: {@code ack}, {@code read}, {@code ping}, {@code typing}
 * (docs/conversations.md), and the channel frames
 * {@code subscribe} / {@code unsubscribe} (answered once {@code hello} is out). Anything malformed
 * is answered with an {@code error} frame and the connection stays open.
 */
final class ClientFrames {

  private static final int MAX_ID_LENGTH = 64;

  private final ClientSession session;
  private final Cursors cursors;
  private final Receipts receipts;
  private final Typing typing;
  private final ConnectionChannels channels;

  ClientFrames(ClientSession session, Cursors cursors, Receipts receipts, Typing typing,
      ConnectionChannels channels) {
    this.session = session;
    this.cursors = cursors;
    this.receipts = receipts;
    this.typing = typing;
    this.channels = channels;
  }

  /** One client frame as read, before anything is done with it. */
  sealed interface Parsed {
  }

  record Ping() implements Parsed {
  }

  record Ack(Seq seq) implements Parsed {
  }

  record Read(String id) implements Parsed {
  }

  /** {@code typing}, read further by {@link TypingTarget}. */
  record TypingFrame(JsonObject frame) implements Parsed {
  }

  /** {@code subscribe} / {@code unsubscribe}, read further by {@link ConnectionChannels}. */
  record ChannelFrame(JsonObject frame) implements Parsed {
  }

  /** Not a frame to act on: answered with an {@code error} frame {@code bad_frame} and this message. */
  record Bad(String message) implements Parsed {
  }

  /** Reads a client frame; never throws, whatever the text. */
  static Parsed parse(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new Bad("frame is not a JSON object");
    }
    Object type = frame.getValue("type");
    if ("ping".equals(type)) {
      return new Ping();
    } else if ("ack".equals(type)) {
      return frame.getValue("seq") instanceof String seq && Seq.isValid(seq) ? new Ack(Seq.parse(seq))
          : new Bad("ack needs a seq string");
    } else if ("read".equals(type)) {
      return frame.getValue("id") instanceof String id && !id.isEmpty() && id.length() <= MAX_ID_LENGTH
          ? new Read(id) : new Bad("read needs the id of a message you received");
    } else if ("typing".equals(type)) {
      return new TypingFrame(frame);
    } else if (ConnectionChannels.handles(type)) {
      return new ChannelFrame(frame);
    }
    return new Bad("unknown frame type: expected ack, read, ping, typing, subscribe or unsubscribe");
  }

  void handle(String text) {
    Parsed frame = parse(text);
    if (frame instanceof Ping) {
      session.reply(Frames.pong());
    } else if (frame instanceof Ack ack) {
      ack(ack.seq());
    } else if (frame instanceof Read read) {
      read(read.id());
    } else if (frame instanceof TypingFrame typingFrame) {
      typing(typingFrame.frame());
    } else if (frame instanceof ChannelFrame channel) {
      session.greeted().onSuccess(v -> channels.handle(channel.frame()));
    } else if (frame instanceof Bad bad) {
      badFrame(bad.message());
    }
  }

  void rejectBinary() {
    badFrame("binary frames are not supported: send JSON text frames");
  }

  private void ack(Seq seq) {
    Seq delivered = session.lastDelivered();
    if (delivered == null || seq.isAfter(delivered)) {
      badFrame("ack for a seq this connection was not sent");
      return;
    }
    cursors.ack(session.uid(), session.device(), seq)
        .onFailure(e -> session.reply(Frames.error(ErrorCode.UNAVAILABLE, "ack not stored, send it again")));
  }

  /** Success is silent: the sender's devices get the receipt; only a refusal is answered. */
  private void read(String id) {
    receipts.read(session.uid(), id).onFailure(e -> session.reply(e instanceof ApiError error
        ? Frames.error(error.code(), error.getMessage())
        : Frames.error(ErrorCode.UNAVAILABLE, "receipt not stored, send it again")));
  }

  /** Transient: success is silent, and a failed publish is not worth a retry. */
  private void typing(JsonObject frame) {
    TypingTarget target = TypingTarget.of(frame, session.uid());
    if (target.problem() != null) {
      badFrame(target.problem());
      return;
    }
    (target.room() != null ? typing.toRoom(session.uid(), target.room()) : typing.toUser(session.uid(), target.to()))
        .onFailure(e -> {
          if (e instanceof ApiError error) {
            session.reply(Frames.error(error.code(), error.getMessage()));
          }
        });
  }

  private void badFrame(String message) {
    session.reply(Frames.error(ErrorCode.BAD_FRAME, message));
  }
}
