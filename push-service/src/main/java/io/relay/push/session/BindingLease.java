package io.relay.push.session;

import io.relay.model.Seq;
import io.relay.push.store.Bindings;
import io.relay.push.store.Unbinds;
import io.relay.service.ApiError;
import io.vertx.core.Future;
import java.util.function.LongSupplier;

/**
 * One connection's binding in Redis, seen as a lease on room delivery: the room scripts route an
 * entry to this node only while the binding exists. The lease knows up to when the binding
 * surely existed (the send time of the last bind or refresh that found it, plus its TTL, less a
 * margin); a live entry that arrives after that must not be delivered before the session has
 * caught up, since room entries before it may have gone nowhere. The first bind is also the
 * connection's admission: it is refused when its user has as many connections as the limit.
 */
public final class BindingLease {

  /** What a client refused for its connection limit waits before trying again. */
  static final long LIMIT_RETRY_MS = 5_000;

  private final Bindings bindings;
  private final Unbinds unbinds;
  private final String uid;
  private final String connectionId;
  private final String transport;
  private final long since;
  private final LongSupplier clock;
  private long validUntil;
  private Future<Void> bound = Future.succeededFuture();
  private boolean refused;
  private Seq cursor;

  public BindingLease(Bindings bindings, Unbinds unbinds, String uid, String connectionId, String transport,
      LongSupplier clock) {
    this.bindings = bindings;
    this.unbinds = unbinds;
    this.uid = uid;
    this.connectionId = connectionId;
    this.transport = transport;
    this.clock = clock;
    this.since = clock.getAsLong();
  }

  public String connectionId() {
    return connectionId;
  }

  /**
   * Writes the binding if the user has fewer than {@code limit} other connections (0: no limit);
   * completes when it has landed, or fails with {@code 429 rate_limited} (nothing written).
   */
  public Future<Void> bind(int limit) {
    return bind(limit, null);
  }

  /**
   * The same, reading in that round trip where {@code cursorDevice} (null: none) resumes, for a
   * connection that gave no {@code since}: then {@link #cursor()}.
   */
  public Future<Void> bind(int limit, String cursorDevice) {
    long sent = clock.getAsLong();
    bound = bindings.bind(uid, connectionId, transport, since, limit, cursorDevice).compose(admission -> {
      if (!admission.admitted()) {
        refused = true;
        return Future.failedFuture(ApiError.rateLimited("too many connections for this user", LIMIT_RETRY_MS));
      }
      if (admission.cursor() != null) {
        cursor = admission.cursor();
      }
      extend(sent);
      return Future.succeededFuture();
    });
    return bound;
  }

  /** The cursor the admitting bind read ({@link Seq#ZERO}: the device never acked); null if it read none. */
  public Seq cursor() {
    return cursor;
  }

  /** The last bind: completed once it landed. */
  public Future<Void> bound() {
    return bound;
  }

  /**
   * Refreshes the binding, or writes it again if it had expired (the connection is open already,
   * so the limit does not apply). Completes with true when it had expired: room entries stored
   * meanwhile were not routed here, so the session must catch up.
   */
  public Future<Boolean> renew() {
    long sent = clock.getAsLong();
    return bindings.refresh(uid, connectionId).compose(present -> {
      if (present) {
        extend(sent);
        return Future.succeededFuture(false);
      }
      return bind(0).map(true);
    });
  }

  /** True while the binding surely exists, so a live entry arriving now left no room entry behind. */
  public boolean covers(long now) {
    return now < validUntil;
  }

  /**
   * Removes the binding, after the bind has answered: an unbind overtaking it would leave it
   * behind. A bind that failed without an answer may still land, so it is unbound twice; a
   * refused one wrote nothing. Never fails; a failed unbind is retried by {@link Unbinds}.
   */
  public Future<Void> release() {
    return bound.transform(ar -> {
      if (ar.succeeded()) {
        return unbinds.unbind(uid, connectionId);
      }
      return refused ? Future.<Void>succeededFuture()
          : unbinds.unbindUnknown(uid, connectionId, bindings.ttlMillis() / 2);
    }).recover(e -> Future.succeededFuture());
  }

  private void extend(long sent) {
    long ttl = bindings.ttlMillis();
    validUntil = Math.max(validUntil, sent + ttl - ttl / 10);
  }
}
