package io.relay.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Settings both services read from the environment (docs/operations.md).
 *
 * @param redisUrl        {@code REDIS_URL}, default {@code redis://127.0.0.1:6379}
 * @param nodeId          {@code RELAY_NODE_ID}, default a generated {@code node-<8 hex>}
 * @param jwtSecret       {@code RELAY_JWT_SECRET}; required unless dev mode ({@code dev-secret}), at
 *                        least {@link #MIN_SECRET_BYTES} bytes outside dev mode
 * @param apiKeys         {@code RELAY_API_KEYS}, comma separated; dev mode adds {@code dev-key}
 * @param dev             {@code RELAY_DEV}, default false
 * @param corsOrigins     {@code RELAY_CORS_ORIGINS}, comma separated; default none, {@code *} in dev
 * @param maxBodyBytes    {@code RELAY_MAX_BODY}, largest serialized message body, default 65536
 * @param retentionCount  {@code RELAY_RETENTION_COUNT}, entries a log keeps at least, default 10000
 * @param retentionDays   {@code RELAY_RETENTION_DAYS}, days a log keeps entries at least, default 7
 * @param redisTimeoutMs  {@code RELAY_REDIS_TIMEOUT_MS}, longest wait for one Redis call before
 *                        answering 503, default 2000
 * @param maxRoomSize     {@code RELAY_MAX_ROOM}, most members a room may have, default 1000
 * @param redisWaitReplicas {@code RELAY_REDIS_WAIT_REPLICAS}, replicas that must have a write (Redis
 *                        {@code WAIT}) before it is answered 2xx, default 0 (the primary's AOF alone)
 * @param eventLoops      {@code RELAY_EVENT_LOOPS}, default the number of available processors (1 to
 *                        1024): instances of the service's verticle, one per event loop, all serving
 *                        its one port (docs/architecture.md#event-loops)
 */
public record SharedConfig(String redisUrl, String nodeId, String jwtSecret, List<String> apiKeys,
    boolean dev, List<String> corsOrigins, int maxBodyBytes, int retentionCount, int retentionDays,
    int redisTimeoutMs, int maxRoomSize, int redisWaitReplicas, int eventLoops) {

  public static final String DEV_SECRET = "dev-secret";
  public static final String DEV_API_KEY = "dev-key";
  /** Shortest JWT secret outside dev mode: HS256 wants a key of at least its 256-bit output. */
  public static final int MIN_SECRET_BYTES = 32;

  public SharedConfig {
    if (jwtSecret == null || jwtSecret.isBlank()) {
      throw new IllegalArgumentException("RELAY_JWT_SECRET is required (or set RELAY_DEV=true for local use)");
    }
    if (!dev && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("RELAY_JWT_SECRET must be at least " + MIN_SECRET_BYTES
          + " bytes (e.g. openssl rand -base64 48); shorter secrets can be guessed offline from one token");
    }
    apiKeys = List.copyOf(apiKeys);
    corsOrigins = List.copyOf(corsOrigins);
  }

  public static SharedConfig fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    boolean dev = env.bool("RELAY_DEV");
    List<String> apiKeys = new ArrayList<>(env.list("RELAY_API_KEYS"));
    if (dev && !apiKeys.contains(DEV_API_KEY)) {
      apiKeys.add(DEV_API_KEY);
    }
    List<String> cors = env.list("RELAY_CORS_ORIGINS");
    return new SharedConfig(
        env.string("REDIS_URL", "redis://127.0.0.1:6379"),
        env.string("RELAY_NODE_ID", "node-" + UUID.randomUUID().toString().substring(0, 8)),
        env.string("RELAY_JWT_SECRET", dev ? DEV_SECRET : null),
        apiKeys,
        dev,
        cors.isEmpty() && dev ? List.of("*") : cors,
        env.integer("RELAY_MAX_BODY", 64 * 1024, 1, 16 * 1024 * 1024),
        env.integer("RELAY_RETENTION_COUNT", 10_000, 1, Integer.MAX_VALUE),
        env.integer("RELAY_RETENTION_DAYS", 7, 0, 3650),
        env.integer("RELAY_REDIS_TIMEOUT_MS", 2000, 50, 60_000),
        env.integer("RELAY_MAX_ROOM", 1000, 1, 100_000),
        env.integer("RELAY_REDIS_WAIT_REPLICAS", 0, 0, 16),
        env.integer("RELAY_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 1024));
  }

  /** Every environment variable {@link #fromEnv} reads. */
  public static Set<String> variables() {
    return Env.namesReadBy(SharedConfig::fromEnv);
  }

  public long retentionMillis() {
    return retentionDays * 86_400_000L;
  }
}
