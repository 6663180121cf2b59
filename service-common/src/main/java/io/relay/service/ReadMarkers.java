package io.relay.service;

import io.relay.model.ErrorCode;
import io.relay.model.Frames;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.vertx.core.Future;
import java.util.List;

/**
 * Moves a user's read marker in one conversation forward, never back
 * ({@code conversation-read.lua}, one round trip): the unread messages up to it stop counting and,
 * when it moved, the user's log gets {@code {"type":"read_marker","conversation":…,"upTo":…}} so
 * the user's other devices follow. Used by {@code POST /v1/conversations/{id}/read} and by the
 * {@code read} frame. See docs/conversations.md.
 */
public final class ReadMarkers {

  private final RedisGateway redis;
  private final SharedConfig config;

  public ReadMarkers(RedisGateway redis, SharedConfig config) {
    this.redis = redis;
    this.config = config;
  }

  /**
   * @return the unread count after the move; failed with 404 when the user has no such
   *     conversation or {@code upTo} is not a message of it still in the user's log
   */
  public Future<Long> moveTo(String uid, String conversation, String upTo) {
    List<String> keys = List.of(RedisKeys.log(uid), RedisKeys.trimmed(uid), RedisKeys.messageIds(uid),
        RedisKeys.liveChannel(uid), RedisKeys.conversation(uid, conversation), RedisKeys.unread(uid, conversation));
    List<String> args = List.of(conversation, upTo, Frames.readMarker(conversation, upTo),
        Integer.toString(config.retentionCount()), Long.toString(config.retentionMillis()),
        Long.toString(redis.storeDeadline()));
    return redis.store(LuaScript.CONVERSATION_READ, keys, args).compose(LogWriter::refuseLateOrLimited)
        .compose(reply -> switch (reply.get(0).toString()) {
          case "ok" -> Future.succeededFuture(reply.get(1).toLong());
          case "no_conversation" -> Future.failedFuture(new ApiError(ErrorCode.NOT_FOUND,
              "you have no conversation " + conversation));
          default -> Future.failedFuture(new ApiError(ErrorCode.NOT_FOUND,
              "no message " + upTo + " of conversation " + conversation + " in your log"));
        });
  }

  /**
   * The conversation named in a user log's message index value {@code <sender> <seq>
   * <conversation>}, or null (none, or a value written before conversations existed).
   */
  public static String conversationOf(String indexValue) {
    String[] parts = indexValue.split(" ", -1);
    return parts.length == 3 && !parts[2].isEmpty() ? parts[2] : null;
  }

  /** The sender named in a user log's message index value ('' for none). */
  public static String senderOf(String indexValue) {
    int space = indexValue.indexOf(' ');
    return space < 0 ? indexValue : indexValue.substring(0, space);
  }
}
