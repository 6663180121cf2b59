package io.relay.ingest;

import io.relay.model.ChannelMessage;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.service.LogWriter;
import io.relay.service.RateLimit;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes channel messages. A stored one is appended to the channel's bounded history and
 * published once, in one round trip ({@code store-channel-message.lua}), so Redis holds and
 * announces it or neither. A transient one is only published, without an offset.
 */
final class ChannelStore {

  /** The outcome: the message's id, its offset (null for a repeat), and whether it was a repeat. */
  record Stored(String id, Seq offset, boolean duplicate) {
  }

  private final RedisGateway redis;
  private final int historyBound;

  ChannelStore(RedisGateway redis, int historyBound) {
    this.redis = redis;
    this.historyBound = historyBound;
  }

  /**
   * @param publisher   who publishes ({@link Caller#publisher()}), scoping {@code clientMsgId}
   * @param clientMsgId the publisher's idempotency key (the server's own when the client gave none)
   * @param limit       the publisher's send budget, taken in the same script
   */
  Future<Stored> store(ChannelMessage message, String publisher, String clientMsgId, RateLimit limit) {
    if (redis.cluster()) {
      // The publisher's budget lives in the publisher's slot, the channel's keys in the channel's:
      // on a cluster the token is taken first, on its own (a repeat then spends one too).
      RateLimit inChannelSlot = RateLimit.none(RedisKeys.channelHistory(message.channel()));
      return ClusterLogs.takeToken(redis, limit)
          .compose(v -> storeInOneSlot(message, publisher, clientMsgId, inChannelSlot));
    }
    return storeInOneSlot(message, publisher, clientMsgId, limit);
  }

  private Future<Stored> storeInOneSlot(ChannelMessage message, String publisher, String clientMsgId,
      RateLimit limit) {
    String channel = message.channel();
    List<String> keys = List.of(RedisKeys.channelHistory(channel), RedisKeys.channelTrimmed(channel),
        RedisKeys.channelIdempotency(channel, publisher, clientMsgId), limit.key());
    List<String> args = new ArrayList<>(List.of("1", message.id(),
        Integer.toString(MessageStore.IDEMPOTENCY_SECONDS), Integer.toString(historyBound), message.toJson(),
        Long.toString(redis.storeDeadline()), RedisKeys.channelLive(channel)));
    args.addAll(limit.args());
    return redis.store(LuaScript.STORE_CHANNEL_MESSAGE, keys, args)
        .compose(LogWriter::refuseLateOrLimited)
        .map(reply -> stored(reply, message.id()));
  }

  private static Stored stored(Response reply, String id) {
    if ("dup".equals(reply.get(0).toString())) {
      return new Stored(reply.get(1).toString(), null, true);
    }
    return new Stored(id, Seq.parse(reply.get(1).toString()), false);
  }

  /** Publishes without storing: only subscribers connected now get it (at most once). */
  Future<Void> publishTransient(ChannelMessage message) {
    return redis.publish(RedisKeys.channelLive(message.channel()), message.toTransientFrame()).mapEmpty();
  }
}
