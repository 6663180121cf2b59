package io.relay.service;

import io.relay.model.ChannelPatterns;

/**
 * A verified user: the token's {@code sub}, when the token stops being valid, and the channel
 * rights it carries ({@code channels} claim: may subscribe; {@code publish} claim: may publish).
 */
public record Identity(String uid, long expiresAtMillis, ChannelPatterns channels, ChannelPatterns publish) {

  /** A user without channel rights. */
  public Identity(String uid, long expiresAtMillis) {
    this(uid, expiresAtMillis, ChannelPatterns.NONE, ChannelPatterns.NONE);
  }

  public boolean maySubscribe(String channel) {
    return channels.allows(channel);
  }

  public boolean mayPublish(String channel) {
    return publish.allows(channel);
  }
}
