package io.relay.service;

/** A verified user: the token's {@code sub} and when the token stops being valid. */
public record Identity(String uid, long expiresAtMillis) {
}
