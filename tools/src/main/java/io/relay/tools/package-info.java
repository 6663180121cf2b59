/**
 * Developer tools that are not part of either service: {@link io.relay.tools.DevRedis}, the
 * Redis the run script falls back to when neither {@code REDIS_URL} nor a {@code redis-server}
 * on PATH is available (SPEC §8).
 */
package io.relay.tools;
