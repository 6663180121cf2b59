package io.relay.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tokens verified lately, by their exact text: a client that reconnects (a reconnect storm
 * brings each one several times) or sends again with the same token skips the HMAC and the
 * claims' parsing. A token is the same signed text whatever the moment, so what was verified
 * stays verified; only time changes it, and a hit is refused once the token's {@code exp} or the
 * entry's short life ({@link #LIFETIME_MS}) has passed. Bounded: when full, expired entries are
 * dropped, and if that frees nothing, all of them. Safe from any thread.
 */
final class VerifiedTokens {

  /** How long a verified token is remembered at most. */
  static final long LIFETIME_MS = 30_000;

  private record Entry(Identity identity, long usableUntil) {
  }

  private final int capacity;
  private final LongSupplier clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  VerifiedTokens(int capacity, LongSupplier clock) {
    this.capacity = capacity;
    this.clock = clock;
  }

  /** The identity {@code token} was verified as, or null when it is not remembered or no longer usable. */
  Identity get(String token) {
    Entry entry = entries.get(token);
    if (entry == null) {
      return null;
    }
    if (clock.getAsLong() >= entry.usableUntil()) {
      entries.remove(token, entry);
      return null;
    }
    return entry.identity();
  }

  /** Remembers that {@code token} verified as {@code identity}, now. */
  void put(String token, Identity identity) {
    long now = clock.getAsLong();
    if (entries.size() >= capacity) {
      entries.values().removeIf(entry -> now >= entry.usableUntil());
      if (entries.size() >= capacity) {
        entries.clear();
      }
    }
    entries.put(token, new Entry(identity, Math.min(identity.expiresAtMillis(), now + LIFETIME_MS)));
  }

  int size() {
    return entries.size();
  }
}
