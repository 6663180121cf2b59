package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.JsonText;
import io.relay.service.ApiError;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A validated {@code POST /v1/messages} body (docs/protocol.md#sending-post-v1messages). {@code from} is the sender as it will be
 * stored: the token's user, or for a backend the optional {@code from} of the body.
 */
record SendRequest(String from, String to, String room, Object body, String clientMsgId,
    boolean echo, boolean isTransient) {

  static final int MAX_CLIENT_MSG_ID = 64;

  static SendRequest parse(JsonObject json, Caller caller, int maxBodyBytes) {
    String to = name(json, "to");
    String room = name(json, "room");
    if ((to == null) == (room == null)) {
      throw ApiError.invalidField("exactly one of to and room is required");
    }
    Object body = bodyOf(json, maxBodyBytes);
    String clientMsgId = clientMsgIdOf(json);
    boolean isTransient = JsonBodies.optionalBoolean(json, "transient");
    boolean echo = JsonBodies.optionalBoolean(json, "echo");
    String from = senderOf(json, caller);
    if (!caller.isBackend() && (isTransient || echo)) {
      throw ApiError.forbidden((isTransient ? "transient" : "echo") + " is for backends (API key) only");
    }
    if (isTransient && room != null) {
      throw ApiError.invalidField("a transient message goes to one user: use to, not room");
    }
    return new SendRequest(from, to, room, body, clientMsgId, echo, isTransient);
  }

  /** The required {@code body}: any JSON value up to {@code maxBodyBytes} serialized. */
  static Object bodyOf(JsonObject json, int maxBodyBytes) {
    if (!json.containsKey("body")) {
      throw ApiError.invalidField("body is required");
    }
    Object body = json.getValue("body");
    if (JsonText.encode(body).getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
      throw new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than " + maxBodyBytes + " bytes");
    }
    return body;
  }

  /** The optional idempotency key {@code clientMsgId}, or null. */
  static String clientMsgIdOf(JsonObject json) {
    String clientMsgId = JsonBodies.optionalString(json, "clientMsgId");
    if (clientMsgId != null && (clientMsgId.isEmpty() || clientMsgId.length() > MAX_CLIENT_MSG_ID)) {
      throw ApiError.invalidField("clientMsgId must be 1 to " + MAX_CLIENT_MSG_ID + " characters");
    }
    return clientMsgId;
  }

  /** A user always sends as itself; a backend may name any sender or none. */
  static String senderOf(JsonObject json, Caller caller) {
    String from = name(json, "from");
    if (caller.isBackend()) {
      return from;
    }
    if (from != null && !from.equals(caller.uid())) {
      throw ApiError.forbidden("a user can only send as itself");
    }
    return caller.uid();
  }

  private static String name(JsonObject json, String field) {
    String value = JsonBodies.optionalString(json, field);
    if (value != null && !Ids.isValidName(value)) {
      throw ApiError.invalidField(field + " must be 1-64 characters of [A-Za-z0-9_.:@-]");
    }
    return value;
  }
}
