/**
 * Developer tools that are not part of either service: {@link io.relay.tools.DevRedis}, the
 * Redis the run script falls back to when neither {@code REDIS_URL} nor a {@code redis-server}
 * on PATH is available (docs/operations.md).
 */
package io.relay.tools;
