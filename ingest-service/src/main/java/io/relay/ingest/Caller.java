package io.relay.ingest;

import io.relay.model.ChannelPatterns;
import io.relay.service.Identity;

/**
 * Who sent a request: a user (from a JWT, with the channel rights it carries) or a backend (from
 * an API key). For a backend, {@code keyTag} is a short non-secret fingerprint of its key, used to
 * scope its idempotency keys.
 */
public record Caller(String uid, String keyTag, ChannelPatterns channels, ChannelPatterns publish) {

  public static Caller user(Identity identity) {
    return new Caller(identity.uid(), null, identity.channels(), identity.publish());
  }

  public static Caller backend(String keyTag) {
    return new Caller(null, keyTag, null, null);
  }

  public boolean isBackend() {
    return uid == null;
  }

  /** A backend may read every channel; a user those its {@code channels} claim grants. */
  public boolean maySubscribe(String channel) {
    return isBackend() || channels.allows(channel);
  }

  /** A backend may publish on every channel; a user on those its {@code publish} claim grants. */
  public boolean mayPublish(String channel) {
    return isBackend() || publish.allows(channel);
  }

  /** Who publishes, as channel idempotency keys name it: {@code u:<uid>} or {@code k:<keyTag>}. */
  public String publisher() {
    return isBackend() ? "k:" + keyTag : "u:" + uid;
  }
}
