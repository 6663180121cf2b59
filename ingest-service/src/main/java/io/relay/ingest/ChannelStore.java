package io.relay.ingest;

import io.relay.model.ChannelMessage;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.service.LogWriter;
import io.relay.service.RedisGateway;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
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
  private final SharedConfig config;
  private final int historyBound;

  ChannelStore(RedisGateway redis, SharedConfig config, int historyBound) {
    this.redis = redis;
    this.config = config;
    this.historyBound = historyBound;
  }

  /**
   * @param publisher   who publishes ({@link Caller#publisher()}), scoping {@code clientMsgId}
   * @param clientMsgId the publisher's idempotency key, or null
   */
  Future<Stored> store(ChannelMessage message, String publisher, String clientMsgId) {
    String channel = message.channel();
    boolean guarded = clientMsgId != null;
    List<String> keys = List.of(RedisKeys.channelHistory(channel), RedisKeys.channelTrimmed(channel),
        guarded ? RedisKeys.channelIdempotency(channel, publisher, clientMsgId) : RedisKeys.channelHistory(channel));
    List<String> args = List.of(guarded ? "1" : "0", message.id(),
        Integer.toString(MessageStore.IDEMPOTENCY_SECONDS), Integer.toString(historyBound), message.toJson(),
        Long.toString(LogWriter.deadline(config)), RedisKeys.channelLive(channel));
    return redis.eval(LuaScript.STORE_CHANNEL_MESSAGE, keys, args)
        .compose(LogWriter::refuseLate)
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
    return redis.send(Request.cmd(Command.PUBLISH).arg(RedisKeys.channelLive(message.channel()))
            .arg(message.toTransientFrame()))
        .mapEmpty();
  }
}
