package io.relay.service;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Warns at startup when the Redis a service talks to would lose acknowledged messages on a crash. */
public final class PersistenceCheck {

  private static final Logger LOG = LoggerFactory.getLogger(PersistenceCheck.class);

  private PersistenceCheck() {
  }

  /**
   * Logs a warning when AOF is off, and when it is on without {@code appendfsync always} (a host
   * crash can then lose up to a second of acknowledged messages). Never fails startup: Redis may
   * come up later, and managed Redis services often forbid CONFIG.
   */
  public static Future<Void> warnIfVolatile(RedisGateway redis) {
    return redis.send(Request.cmd(Command.INFO).arg("persistence"))
        .compose(info -> {
          if (info.toString().contains("aof_enabled:0")) {
            LOG.warn("PERSISTENCE OFF: Redis has appendonly=no, so messages answered 2xx can be lost if Redis "
                + "crashes. Run Redis with the shipped deploy/redis.conf (appendonly yes, appendfsync always).");
            return Future.succeededFuture();
          }
          return redis.send(Request.cmd(Command.CONFIG).arg("GET").arg("appendfsync")).map(PersistenceCheck::fsync);
        })
        .recover(e -> {
          LOG.warn("could not check Redis persistence at startup: {}", e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** The mode in an answer to {@code CONFIG GET appendfsync}. */
  static String appendfsync(io.vertx.redis.client.Response config) {
    // RESP3 answers CONFIG GET with a map, RESP2 with a [name, value] array.
    return config.isMap() ? String.valueOf(config.get("appendfsync")) : String.valueOf(config.get(1));
  }

  private static Void fsync(io.vertx.redis.client.Response config) {
    String mode = appendfsync(config);
    if ("always".equals(mode)) {
      LOG.info("Redis persistence: AOF on, appendfsync always");
    } else {
      LOG.warn("Redis persistence: AOF on with appendfsync {}: a crash of the Redis host can lose up to about "
          + "a second of messages already answered 2xx. Use appendfsync always (deploy/redis.conf).", mode);
    }
    return null;
  }
}
