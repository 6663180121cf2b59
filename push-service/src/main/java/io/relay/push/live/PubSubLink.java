package io.relay.push.live;

import io.vertx.core.Future;
import java.util.List;

/**
 * This node's pub/sub connection as {@link LiveSubscriber} drives it: a seam, so the subscriber's
 * bookkeeping (references, arming, reconnects, catch-up) can be tested without Redis.
 */
public interface PubSubLink {

  /** What one connection reports, on the subscriber's event loop. */
  interface Events {

    /** A message published on {@code channel}. */
    void onMessage(String channel, String payload);

    /** Redis confirmed one SUBSCRIBE of {@code channel}. */
    void onSubscribed(String channel);

    /** Redis answered a {@link Connection#probe()}. */
    void onProbeAnswered();

    /** The connection ended, however: closed by Redis, failed, or closed here. */
    void onLost(String why);
  }

  /** One established connection. */
  interface Connection {

    void subscribe(List<String> channels);

    void unsubscribe(List<String> channels);

    /** Asks Redis for an answer over this very connection, so a silently dead link shows. */
    void probe();

    void close();
  }

  /** Opens a connection that reports to {@code events}. */
  Future<Connection> connect(Events events);

  /** Releases the client; no connection is opened afterwards. */
  void close();
}
