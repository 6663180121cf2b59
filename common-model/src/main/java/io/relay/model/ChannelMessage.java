package io.relay.model;

import io.vertx.core.json.JsonObject;

/**
 * A message published on a channel, as stored in the channel's history: the channel
 * {@code message} frame without {@code offset} ({@link ChannelEntry} puts it first). {@code from}
 * is the publishing user, or a backend's optional sender, or null.
 */
public record ChannelMessage(String channel, String id, String from, Object body, long ts) {

  /** The JSON stored in the history, fields in frame order. */
  public String toJson() {
    return json().encode();
  }

  /**
   * The frame of a transient channel message: never stored, so it has no {@code offset}, and it
   * says {@code "transient":true} so a client does not take it for a history position.
   */
  public String toTransientFrame() {
    return json().put("transient", true).encode();
  }

  private JsonObject json() {
    return new JsonObject()
        .put("type", "message")
        .put("channel", channel)
        .put("id", id)
        .put("from", from)
        .put("body", body)
        .put("ts", ts);
  }
}
