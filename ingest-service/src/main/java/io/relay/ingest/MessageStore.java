package io.relay.ingest;

import io.relay.model.StoredMessage;
import io.relay.service.LogWriter;
import io.relay.service.RateLimit;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Stores a direct message in every log it belongs to and publishes it, in one Redis round trip
 * ({@link LogWriter}), so Redis holds all of it or none of it.
 */
final class MessageStore {

  static final int IDEMPOTENCY_SECONDS = 24 * 3600;

  /**
   * The outcome: the message's id, whether it was a repeat, how many logs got it, and its ts (0: the
   * ts of the message sent; a retry that completed an earlier attempt on a cluster has that one's).
   */
  record Stored(String id, boolean duplicate, int logs, long ts) {

    Stored(String id, boolean duplicate, int logs) {
      this(id, duplicate, logs, 0);
    }
  }

  private final LogWriter writer;
  /** The store on a Redis Cluster, null on one Redis. */
  private final ClusterMessageStore cluster;

  MessageStore(LogWriter writer) {
    this(writer, null);
  }

  MessageStore(LogWriter writer, ClusterMessageStore cluster) {
    this.writer = writer;
    this.cluster = cluster;
  }

  /**
   * @param logs           the users whose logs get the message (no repeats)
   * @param idempotencyKey the sender's key for its clientMsgId
   * @param keyChosenNow   the server chose that key for this message's new id (no clientMsgId)
   * @param limit          the sender's budget: spent by one token, or 429 (nothing stored)
   */
  Future<Stored> store(StoredMessage message, List<String> logs, String idempotencyKey, boolean keyChosenNow,
      RateLimit limit) {
    if (cluster != null) {
      return cluster.store(message, logs, idempotencyKey, limit);
    }
    LogWriter.Once once = new LogWriter.Once(idempotencyKey, message.id(), IDEMPOTENCY_SECONDS, keyChosenNow);
    LogWriter.Index index = new LogWriter.Index(message.id(), message.from(), message.to(), message.locator());
    return writer.append(message.toJson(), index, logs, once, limit)
        .map(reply -> stored(reply, message.id()));
  }

  private static Stored stored(Response reply, String id) {
    if ("dup".equals(reply.get(0).toString())) {
      return new Stored(reply.get(1).toString(), true, 0);
    }
    return new Stored(id, false, reply.size() - 1);
  }
}
