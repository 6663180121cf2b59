package io.relay.model;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * An edit or recall of a stored message (docs/conversations.md): the log entry every log holding
 * the message gets, {@code {"type":"edit","id":…,"body":…,"by":…,"ts":…}} or
 * {@code {"type":"recall","id":…,"by":…,"ts":…}} ({@code by} null for a backend), and the state
 * Redis keeps per log beside the message ({@code r}, or {@code e} + the body JSON), which history
 * reads apply with {@link #apply}.
 *
 * @param body the new body of an edit; null for a recall
 */
public record MessageChange(String messageId, Object body, boolean recall, String by, long ts) {

  private static final String RECALLED = "r";
  private static final String EDITED = "e";

  public static MessageChange edit(String messageId, Object body, String by, long ts) {
    return new MessageChange(messageId, body, false, by, ts);
  }

  public static MessageChange recallOf(String messageId, String by, long ts) {
    return new MessageChange(messageId, null, true, by, ts);
  }

  /** The log entry JSON (the frame without {@code seq}). */
  public String toJson() {
    JsonObject json = new JsonObject().put("type", recall ? "recall" : "edit").put("id", messageId);
    if (!recall) {
      json.put("body", body);
    }
    return json.put("by", by).put("ts", ts).encode();
  }

  /** The state kept beside the message in each log. */
  public String state() {
    return recall ? RECALLED : EDITED + Json.encode(body);
  }

  /**
   * A message frame as history shows it given its kept {@code state} ('' or null: unchanged):
   * edited → the current body and {@code "edited":true}; recalled → no body and
   * {@code "recalled":true}.
   */
  public static JsonObject apply(JsonObject message, String state) {
    if (state == null || state.isEmpty()) {
      return message;
    }
    if (state.equals(RECALLED)) {
      message.remove("body");
      return message.put("recalled", true);
    }
    if (state.startsWith(EDITED)) {
      return message.put("body", Json.decodeValue(state.substring(EDITED.length()))).put("edited", true);
    }
    return message;
  }
}
