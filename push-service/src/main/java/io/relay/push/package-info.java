/**
 * The push-service: holds client connections, records bindings in Redis, receives published log
 * entries and delivers them in order, with replay, heartbeats and acks. Composition root and
 * settings here; the parts live in {@code session}, {@code transport}, {@code live},
 * {@code store} and {@code demo}.
 */
package io.relay.push;
