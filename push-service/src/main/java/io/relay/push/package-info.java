/**
 * The push-service: holds client connections, records bindings in Redis, receives published log
 * entries and delivers them in order, with replay, heartbeats and acks.
 */
package io.relay.push;
