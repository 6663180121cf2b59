package io.relay.model;

/**
 * WebSocket close codes the push-service uses (docs/protocol.md#websocket). A client should reconnect after every one of
 * them except {@link #BAD_TOKEN}, which needs a new token first: {@link #SHUTTING_DOWN} at once
 * (to another node), the others after a backoff, resuming from its last seq.
 */
public enum CloseCode {
  /** The connection showed no sign of life for 2×heartbeat. */
  HEARTBEAT_TIMEOUT(1001, "heartbeat timeout"),
  /** A single client frame was larger than allowed. */
  FRAME_TOO_LARGE(1009, "frame too large"),
  /** The node could not reach Redis to set the connection up: reconnect after a backoff. */
  TRY_AGAIN_LATER(1013, "try again later"),
  /** The node is shutting down: reconnect elsewhere at once. */
  SHUTTING_DOWN(1012, "node shutting down"),
  /** The token is missing, invalid or expired: get a new one before reconnecting. */
  BAD_TOKEN(4001, "bad or expired token"),
  /** The unsent queue went over its bound: reconnect after a backoff and resume from the cursor. */
  TOO_SLOW(4008, "too slow to keep up");

  private final short code;
  private final String reason;

  CloseCode(int code, String reason) {
    this.code = (short) code;
    this.reason = reason;
  }

  public short code() {
    return code;
  }

  public String reason() {
    return reason;
  }
}
