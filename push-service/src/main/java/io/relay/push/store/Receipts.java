package io.relay.push.store;

import io.relay.model.ErrorCode;
import io.relay.model.Receipt;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.LogWriter;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * Read receipts (§4): a reader's {@code {"type":"read","id":…}} becomes a {@code receipt} entry in
 * the original sender's log, delivered like any message. The reader's message index
 * ({@code relay:{u:<reader>}:ids}) proves in one lookup that the message is still in the
 * reader's log and names its sender; then the receipt is stored and published like a message.
 * Two round trips: the reader's and the sender's keys live on different shards in a cluster.
 * A repeated receipt for the same message by the same reader within 24 h stores nothing new.
 */
public final class Receipts {

  static final int ONCE_SECONDS = 24 * 3600;

  private final RedisGateway redis;
  private final LogWriter writer;

  public Receipts(RedisGateway redis, LogWriter writer) {
    this.redis = redis;
    this.writer = writer;
  }

  /** Fails with an {@link ApiError} whose code the client gets in an {@code error} frame. */
  public Future<Void> read(String reader, String messageId) {
    return redis.send(Request.cmd(Command.HGET).arg(RedisKeys.messageIds(reader)).arg(messageId))
        .compose(sender -> {
          if (sender == null) {
            return Future.failedFuture(new ApiError(ErrorCode.NOT_FOUND, "no message " + messageId + " in your log"));
          }
          return store(reader, messageId, sender.toString());
        });
  }

  private Future<Void> store(String reader, String messageId, String sender) {
    if (sender.isEmpty()) {
      return Future.failedFuture(new ApiError(ErrorCode.BAD_FRAME, "message " + messageId + " has no sender to tell"));
    }
    if (sender.equals(reader)) {
      return Future.failedFuture(new ApiError(ErrorCode.BAD_FRAME, "message " + messageId + " is your own"));
    }
    Receipt receipt = new Receipt(messageId, reader, System.currentTimeMillis());
    LogWriter.Once once = new LogWriter.Once(RedisKeys.receiptOnce(sender, messageId, reader), "1", ONCE_SECONDS);
    return writer.append(receipt.toJson(), null, List.of(sender), once).mapEmpty();
  }
}
