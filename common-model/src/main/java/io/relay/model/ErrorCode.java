package io.relay.model;

/** The error codes of docs/protocol.md#errors with their HTTP status; {@code bad_frame} is the WebSocket-only one of docs/protocol.md#websocket. */
public enum ErrorCode {
  INVALID_JSON("invalid_json", 400),
  INVALID_FIELD("invalid_field", 400),
  UNAUTHORIZED("unauthorized", 401),
  FORBIDDEN("forbidden", 403),
  NOT_MEMBER("not_member", 403),
  NOT_FOUND("not_found", 404),
  METHOD_NOT_ALLOWED("method_not_allowed", 405),
  ROOM_FULL("room_full", 409),
  /** A room with that id exists already ({@code POST /v1/rooms}); not one of the HTTP error codes of docs/protocol.md#errors, which name none for this. */
  ROOM_EXISTS("room_exists", 409),
  PAYLOAD_TOO_LARGE("payload_too_large", 413),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
  RATE_LIMITED("rate_limited", 429),
  INTERNAL("internal", 500),
  UNAVAILABLE("unavailable", 503),
  BAD_FRAME("bad_frame", 0);

  private final String code;
  private final int status;

  ErrorCode(String code, int status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  /** The HTTP status; 0 for codes that only appear in WebSocket {@code error} frames. */
  public int status() {
    return status;
  }
}
