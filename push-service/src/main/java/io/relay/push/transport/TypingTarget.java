package io.relay.push.transport;

import io.relay.model.Ids;
import io.vertx.core.json.JsonObject;

/**
 * Whom a client's {@code typing} frame is for: exactly one of {@code to} (another user) and
 * {@code room}; {@code problem} says what is wrong with the frame instead (then both are null).
 */
record TypingTarget(String to, String room, String problem) {

  static TypingTarget of(JsonObject frame, String sender) {
    Object to = frame.getValue("to");
    Object room = frame.getValue("room");
    if ((to == null) == (room == null)) {
      return refused("typing needs exactly one of to and room");
    }
    Object name = to != null ? to : room;
    if (!(name instanceof String text) || !Ids.isValidName(text)) {
      return refused((to != null ? "to" : "room") + " must be 1-64 characters of [A-Za-z0-9_.:@-]");
    }
    if (to != null && text.equals(sender)) {
      return refused("typing to yourself goes nowhere");
    }
    return to != null ? new TypingTarget(text, null, null) : new TypingTarget(null, text, null);
  }

  private static TypingTarget refused(String problem) {
    return new TypingTarget(null, null, problem);
  }
}
