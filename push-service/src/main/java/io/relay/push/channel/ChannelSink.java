package io.relay.push.channel;

import io.relay.push.session.SharedFrame;
import io.vertx.core.Future;

/** The connection a channel subscription writes to, with its bounded send queue. */
public interface ChannelSink {

  /** Queues a message frame; false when the connection is closed or has just been closed as too slow. */
  boolean deliver(SharedFrame frame);

  /** Completes when the connection can take another page of replay. */
  Future<Void> writable();

  /** Sends a control frame (subscribed, unsubscribed, error). */
  void reply(String frame);
}
