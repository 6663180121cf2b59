package io.relay.push.transport;

import java.util.function.LongSupplier;

/**
 * One connection's budget of client frames ({@code RELAY_RATE_FRAMES_PER_SEC}): a token bucket
 * holding at most a second's worth, refilled continuously. Kept in memory, since a frame only
 * ever reaches the node its connection is on. Used on the connection's event loop only.
 */
final class FrameBudget {

  private final int perSec;
  private final LongSupplier clockMillis;
  private double tokens;
  private long last;

  /** {@code perSec <= 0}: no limit. {@code clockMillis}: the time in ms (tests move it by hand). */
  FrameBudget(int perSec, LongSupplier clockMillis) {
    this.perSec = perSec;
    this.clockMillis = clockMillis;
    this.tokens = perSec;
    this.last = clockMillis.getAsLong();
  }

  /** Takes one frame from the budget; false when it is spent (the frame must not be acted on). */
  boolean take() {
    if (perSec <= 0) {
      return true;
    }
    long now = clockMillis.getAsLong();
    if (now > last) {
      tokens = Math.min(perSec, tokens + (now - last) * perSec / 1000.0);
      last = now;
    }
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
