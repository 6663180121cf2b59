/**
 * The start-up warm-up (docs/performance.md#warm-up): before a node serves, it drives its own HTTP,
 * JSON, WebSocket, token and Redis-protocol code over loopback against an in-process stand-in for
 * Redis, so the JIT compiles the hot paths before the first client arrives. It never reaches the
 * real Redis or any user's data.
 */
package io.relay.service.warmup;
