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
    return new JsonObject()
        .put("type", "message")
        .put("id", id)
        .put("from", from)
        .put("to", to)
        .put("room", room)
        .put("body", body)
        .put("ts", ts)
        .encode();
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
