package io.relay.service;

import java.util.List;

/**
 * One sender's send budget, a token bucket kept in Redis at {@code key} and taken by the storing
 * scripts themselves ({@code take_token} in {@code log-append.lua}), so every node shares it and
 * it costs no extra round trip. The bucket refills {@code perSec} tokens a second up to
 * {@code burst}; {@code perSec <= 0} means no limit (the key is then never touched).
 */
public record RateLimit(String key, int perSec, int burst) {

  /** No limit; {@code key} only fills the script's key slot. */
  public static RateLimit none(String key) {
    return new RateLimit(key, 0, 0);
  }

  /** The two script arguments that go with the key: rate per second, burst. */
  public List<String> args() {
    return List.of(Integer.toString(perSec), Integer.toString(burst));
  }
}
