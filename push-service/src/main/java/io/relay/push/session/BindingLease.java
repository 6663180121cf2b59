package io.relay.push.session;

import io.relay.push.store.Bindings;
import io.vertx.core.Future;
import java.util.function.LongSupplier;

/**
 * One connection's binding in Redis, seen as a lease on room delivery: the room scripts route an
 * entry to this node only while the binding exists. The lease knows up to when the binding
 * surely existed (the send time of the last bind or refresh that found it, plus its TTL, less a
 * margin); a live entry that arrives after that must not be delivered before the session has
 * caught up, since room entries before it may have gone nowhere.
 */
public final class BindingLease {

  private final Bindings bindings;
  private final String uid;
  private final String connectionId;
  private final String transport;
  private final long since;
  private final LongSupplier clock;
  private long validUntil;
  private Future<Void> bound = Future.succeededFuture();

  public BindingLease(Bindings bindings, String uid, String connectionId, String transport, LongSupplier clock) {
    this.bindings = bindings;
    this.uid = uid;
    this.connectionId = connectionId;
    this.transport = transport;
    this.clock = clock;
    this.since = clock.getAsLong();
  }

  /** Writes the binding; completes when it has landed. */
  public Future<Void> bind() {
    long sent = clock.getAsLong();
    bound = bindings.bind(uid, connectionId, transport, since).onSuccess(v -> extend(sent));
    return bound;
  }

  /**
   * Refreshes the binding, or writes it again if it had expired. Completes with true when it had
   * expired: room entries stored meanwhile were not routed here, so the session must catch up.
   */
  public Future<Boolean> renew() {
    long sent = clock.getAsLong();
    return bindings.refresh(uid, connectionId).compose(present -> {
      if (present) {
        extend(sent);
        return Future.succeededFuture(false);
      }
      return bind().map(true);
    });
  }

  /** True while the binding surely exists, so a live entry arriving now left no room entry behind. */
  public boolean covers(long now) {
    return now < validUntil;
  }

  /** Removes the binding, after the bind has landed: an unbind overtaking it would leave it behind. */
  public Future<Void> release() {
    return bound.transform(ar -> bindings.unbind(uid, connectionId)).recover(e -> Future.succeededFuture());
  }

  private void extend(long sent) {
    long ttl = bindings.ttlMillis();
    validUntil = Math.max(validUntil, sent + ttl - ttl / 10);
  }
}
