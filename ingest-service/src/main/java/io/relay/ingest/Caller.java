package io.relay.ingest;

/**
 * Who sent a request: a user (from a JWT) or a backend (from an API key). For a backend,
 * {@code keyTag} is a short non-secret fingerprint of its key, used to scope its idempotency keys.
 */
public record Caller(String uid, String keyTag) {

  public static Caller user(String uid) {
    return new Caller(uid, null);
  }

  public static Caller backend(String keyTag) {
    return new Caller(null, keyTag);
  }

  public boolean isBackend() {
    return uid == null;
  }
}
