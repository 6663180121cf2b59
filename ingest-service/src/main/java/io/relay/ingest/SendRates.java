package io.relay.ingest;

import io.relay.model.RedisKeys;
import io.relay.service.Env;
import io.relay.service.RateLimit;

/**
 * How fast one sender may store messages (any request that stores: messages, rooms and their
 * members), per user token and per API key. Enforced in Redis by the storing scripts, so one
 * sender's requests through any number of ingest nodes share one budget; beyond it the answer
 * is {@code 429 rate_limited} with {@code Retry-After} and nothing is stored.
 *
 * @param userPerSec {@code RELAY_RATE_USER_PER_SEC}, default 20 (0: no limit)
 * @param userBurst  {@code RELAY_RATE_USER_BURST}, default 40
 * @param keyPerSec  {@code RELAY_RATE_KEY_PER_SEC}, default 0 (no limit); the burst of an API key
 *                   is twice its rate
 */
public record SendRates(int userPerSec, int userBurst, int keyPerSec) {

  public static SendRates fromEnv(Env env) {
    return new SendRates(
        env.integer("RELAY_RATE_USER_PER_SEC", 20, 0, 1_000_000),
        env.integer("RELAY_RATE_USER_BURST", 40, 1, 1_000_000),
        env.integer("RELAY_RATE_KEY_PER_SEC", 0, 0, 1_000_000));
  }

  /** The budget of whoever sent a request. */
  RateLimit of(Caller caller) {
    if (caller.isBackend()) {
      return new RateLimit(RedisKeys.backendRate(caller.keyTag()), keyPerSec, 2 * keyPerSec);
    }
    return new RateLimit(RedisKeys.userRate(caller.uid()), userPerSec, userBurst);
  }
}
