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

  /** Logs a warning when AOF is off; never fails startup (Redis may come up later). */
  public static Future<Void> warnIfVolatile(RedisGateway redis) {
    return redis.send(Request.cmd(Command.INFO).arg("persistence"))
        .map(info -> {
          String text = info.toString();
          if (text.contains("aof_enabled:0")) {
            LOG.warn("PERSISTENCE OFF: Redis has appendonly=no, so messages answered 2xx can be lost if Redis "
                + "crashes. Run Redis with the shipped deploy/redis.conf (appendonly yes, appendfsync always).");
          } else {
            LOG.info("Redis persistence: AOF on");
          }
          return (Void) null;
        })
        .recover(e -> {
          LOG.warn("could not check Redis persistence at startup: {}", e.getMessage());
          return Future.succeededFuture();
        });
  }
}
