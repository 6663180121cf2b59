package io.relay.model;

import io.vertx.core.json.JsonObject;

/** Builders of the server → client frames of docs/protocol.md#websocket that are not log entries. */
public final class Frames {

  private static final String PING = new JsonObject().put("type", "ping").encode();
  private static final String PONG = new JsonObject().put("type", "pong").encode();

  private Frames() {
  }

  public static String hello(String uid, String connectionId, int heartbeatSec, boolean recovered) {
    if (Ids.isValidName(uid) && Ids.isValidName(connectionId)) {
      // Sent once per connection: concatenated (neither id has a character JSON would escape),
      // not encoded by Jackson's object mapper.
      return "{\"type\":\"hello\",\"uid\":\"" + uid + "\",\"connectionId\":\"" + connectionId
          + "\",\"heartbeatSec\":" + heartbeatSec + ",\"recovered\":" + recovered + "}";
    }
    return new JsonObject()
        .put("type", "hello")
        .put("uid", uid)
        .put("connectionId", connectionId)
        .put("heartbeatSec", heartbeatSec)
        .put("recovered", recovered)
        .encode();
  }

  public static String ping() {
    return PING;
  }

  public static String pong() {
    return PONG;
  }

  /** A typing indicator (never stored): to one user ({@code room} null) or to a room's members. */
  public static String typing(String from, String to, String room) {
    JsonObject frame = new JsonObject().put("type", "typing").put("from", from);
    return (room == null ? frame.put("to", to) : frame.put("room", room)).encode();
  }

  /** The log entry that tells a user's devices its read marker in a conversation moved. */
  public static String readMarker(String conversation, String upTo) {
    return new JsonObject().put("type", "read_marker").put("conversation", conversation).put("upTo", upTo).encode();
  }

  public static String error(ErrorCode code, String message) {
    return new JsonObject().put("type", "error").put("code", code.code()).put("message", message).encode();
  }
}
