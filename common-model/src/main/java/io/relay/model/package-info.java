/** The message model, wire frames, identifiers and the Redis key layout that both services share. */
package io.relay.model;
