package io.relay.model;

import io.vertx.core.json.JsonObject;

/**
 * A chat message as it is stored in every log it belongs to (the {@code message} frame of docs/protocol.md#websocket
 * without {@code seq}). {@code from} is null for a backend message without a sender; exactly one
 * of {@code to} and {@code room} is set.
 */
public record StoredMessage(String id, String from, String to, String room, Object body, long ts) {

  public StoredMessage {
    if ((to == null) == (room == null)) {
      throw new IllegalArgumentException("exactly one of to and room");
    }
  }

  /** The JSON stored in the log: field order is the order of the docs/protocol.md#websocket frame. */
  public String toJson() {
    // By hand (JsonText), on every send: the same text JsonObject.encode gives.
    StringBuilder json = new StringBuilder(128).append("{\"type\":\"message\",\"id\":");
    JsonText.appendString(json, id).append(",\"from\":");
    JsonText.appendString(json, from).append(",\"to\":");
    JsonText.appendString(json, to).append(",\"room\":");
    JsonText.appendString(json, room).append(",\"body\":");
    return JsonText.appendValue(json, body).append(",\"ts\":").append(ts).append('}').toString();
  }

  /**
   * Where the message lives, as its locator key keeps it for edits and recalls
   * ({@link RedisKeys#messageLocator}): {@code <from>\t<to>\t<room>\t<ts>}, '' for absent parts.
   */
  public String locator() {
    return String.join("\t", from == null ? "" : from, to == null ? "" : to, room == null ? "" : room,
        Long.toString(ts));
  }

  /**
   * The frame of a transient message (docs/protocol.md#sending-post-v1messages): never stored, so it has no {@code seq}, and it says
   * {@code "transient":true} so a client does not take it for a log position.
   */
  public String toTransientFrame() {
    return new JsonObject(toJson()).put("transient", true).encode();
  }
}
