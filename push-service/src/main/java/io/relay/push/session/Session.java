package io.relay.push.session;

import io.relay.model.CloseCode;
import io.relay.model.LogEntry;
import io.vertx.core.Future;

/**
 * One client connection as the registry and the subscriber see it, whatever its transport.
 * Implementations deliver in log order and never twice in a row.
 */
public interface Session extends CatchUpPacer.Target {

  String uid();

  String connectionId();

  /** A live entry of this user's log, just published. */
  void onLive(LogEntry entry);

  /** A transient frame (docs/protocol.md#sending-post-v1messages): not stored, so delivered now or never; by default dropped. */
  default void onTransient(String frame) {
  }

  /**
   * Holds live entries back until the next {@link #catchUp()} has read the log: entries published
   * from now on may be missed (the pub/sub link dropped). By default nothing to hold.
   */
  default void holdLive() {
  }

  /**
   * Reads the log again from the last delivered position (after a pub/sub outage). Fails when
   * the log could not be read; the caller tries again later, the connection stays open.
   */
  @Override
  Future<Void> catchUp();

  /** Closes the connection with {@code code}; the session then removes itself everywhere. */
  Future<Void> close(CloseCode code);
}
