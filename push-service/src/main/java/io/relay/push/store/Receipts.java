package io.relay.push.store;

import io.relay.model.ErrorCode;
import io.relay.model.Receipt;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.LogWriter;
import io.relay.service.ReadMarkers;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * Read receipts (docs/protocol.md#websocket): a reader's {@code {"type":"read","id":…}} becomes a {@code receipt} entry in
 * the original sender's log, delivered like any message. The reader's message index
 * ({@code relay:{u:<reader>}:ids}) proves in one lookup that the message is still in the
 * reader's log and names its sender; then the receipt is stored and published like a message.
 * Two round trips: the reader's and the sender's keys live on different shards in a cluster.
 * A repeated receipt for the same message by the same reader within 24 h stores nothing new.
 * The read also moves the reader's read marker in the message's conversation forward
 * ({@link ReadMarkers}), before the receipt is stored.
 */
public final class Receipts {

  static final int ONCE_SECONDS = 24 * 3600;

  private final RedisGateway redis;
  private final LogWriter writer;
  private final ReadMarkers markers;

  public Receipts(RedisGateway redis, LogWriter writer, ReadMarkers markers) {
    this.redis = redis;
    this.writer = writer;
    this.markers = markers;
  }

  /** Fails with an {@link ApiError} whose code the client gets in an {@code error} frame. */
  public Future<Void> read(String reader, String messageId) {
    return redis.send(Request.cmd(Command.HGET).arg(RedisKeys.messageIds(reader)).arg(messageId))
        .compose(indexed -> {
          if (indexed == null) {
            return Future.failedFuture(new ApiError(ErrorCode.NOT_FOUND, "no message " + messageId + " in your log"));
          }
          return store(reader, messageId, ReadMarkers.senderOf(indexed.toString()),
              ReadMarkers.conversationOf(indexed.toString()));
        });
  }

  /** Moves the reader's marker in {@code conversation} (null: none), then stores the receipt. */
  private Future<Void> store(String reader, String messageId, String sender, String conversation) {
    if (sender.isEmpty()) {
      return Future.failedFuture(new ApiError(ErrorCode.BAD_FRAME, "message " + messageId + " has no sender to tell"));
    }
    if (sender.equals(reader)) {
      return Future.failedFuture(new ApiError(ErrorCode.BAD_FRAME, "message " + messageId + " is your own"));
    }
    Future<Long> marked = conversation == null ? Future.succeededFuture()
        : markers.moveTo(reader, conversation, messageId);
    Receipt receipt = new Receipt(messageId, reader, System.currentTimeMillis());
    LogWriter.Once once = new LogWriter.Once(RedisKeys.receiptOnce(sender, messageId, reader), "1", ONCE_SECONDS);
    return marked.compose(unread -> writer.append(receipt.toJson(), null, List.of(sender), once)).mapEmpty();
  }
}
