package io.relay.push.session;

import io.relay.model.Ids;
import io.relay.push.PushConfig;
import io.relay.push.live.LiveSubscriber;
import io.relay.push.store.Bindings;
import io.relay.push.store.Cursors;
import io.relay.push.store.Receipts;
import io.relay.push.store.Typing;
import io.relay.push.store.Unbinds;
import io.relay.service.LogReader;
import io.relay.service.RelayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The node-wide parts every session uses, built once per event loop by the push verticle:
 * {@code setups} admits connection set-ups at the rate Redis serves them, {@code ticks} runs
 * every session's heartbeat and liveness checks from one timer.
 */
public record SessionServices(Vertx vertx, PushConfig config, ConnectionRegistry registry, LiveSubscriber subscriber,
    Bindings bindings, Unbinds unbinds, Cursors cursors, LogReader logs, Receipts receipts, Typing typing,
    RelayMetrics metrics, SetupGate setups, TickWheel ticks) {

  /** A lease for a new connection of {@code uid}, not bound yet. */
  public BindingLease lease(String uid, String transport) {
    return new BindingLease(bindings, unbinds, uid, Ids.newConnectionId(), transport, System::currentTimeMillis);
  }

  /**
   * Admits a new connection of {@code uid}: binds it within the user's connection limit
   * ({@code RELAY_MAX_CONNS_PER_USER}) in one Redis round trip, which also reads the cursor of
   * {@code cursorDevice} (null: none; {@link BindingLease#cursor()}) for a connection that gave no
   * {@code since}. Fails with {@code 429 rate_limited} when the user has that many connections on
   * all nodes together, {@code 503} without Redis.
   */
  public Future<BindingLease> admit(String uid, String transport, String cursorDevice) {
    BindingLease lease = lease(uid, transport);
    return lease.bind(config.maxConnsPerUser(), cursorDevice).map(lease);
  }
}
