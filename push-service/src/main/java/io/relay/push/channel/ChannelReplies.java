package io.relay.push.channel;

import io.relay.model.ErrorCode;
import io.relay.model.Seq;
import io.vertx.core.json.JsonObject;

/** The server → client control frames about channels: subscribed, unsubscribed, and errors naming the channel. */
final class ChannelReplies {

  private ChannelReplies() {
  }

  /** {@code offset}: the newest offset when live delivery was armed, null for an empty history. */
  static String subscribed(String channel, Seq offset, boolean recovered) {
    return new JsonObject()
        .put("type", "subscribed")
        .put("channel", channel)
        .put("offset", offset == null ? null : offset.toString())
        .put("recovered", recovered)
        .encode();
  }

  static String unsubscribed(String channel) {
    return new JsonObject().put("type", "unsubscribed").put("channel", channel).encode();
  }

  /** An {@code error} frame; {@code channel} is left out when the frame named none. */
  static String error(ErrorCode code, String channel, String message) {
    JsonObject error = new JsonObject().put("type", "error").put("code", code.code());
    if (channel != null) {
      error.put("channel", channel);
    }
    return error.put("message", message).encode();
  }
}
