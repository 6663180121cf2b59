package io.relay.model;

import io.vertx.core.json.JsonObject;

/**
 * A read receipt as stored in the original sender's log (docs/protocol.md#websocket):
 * {@code {"type":"receipt","id":"<msg id>","status":"read","by":"bob","ts":…}}.
 */
public record Receipt(String messageId, String by, long ts) {

  /** The JSON stored in the log (the frame without {@code seq}). */
  public String toJson() {
    return new JsonObject()
        .put("type", "receipt")
        .put("id", messageId)
        .put("status", "read")
        .put("by", by)
        .put("ts", ts)
        .encode();
  }
}
