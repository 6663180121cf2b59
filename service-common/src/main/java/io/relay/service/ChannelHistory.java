package io.relay.service;

import io.relay.model.ChannelEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.vertx.core.Future;
import java.util.List;

/**
 * Reads a channel's bounded history: pages after an offset, the newest offset, and whether a
 * {@code since} still finds everything after it (see docs/api.md, channels).
 */
public final class ChannelHistory {

  private final RedisGateway redis;

  public ChannelHistory(RedisGateway redis) {
    this.redis = redis;
  }

  /** Up to {@code limit} entries strictly after offset {@code after}, oldest first. */
  public Future<List<ChannelEntry>> after(String channel, Seq after, int limit) {
    return history(channel).after(after, limit, ChannelEntry::new);
  }

  /** The offset of the newest entry, or null when the history is empty or gone. */
  public Future<Seq> newest(String channel) {
    return history(channel).newest();
  }

  /**
   * Whether replaying after {@code since} gives every entry published after it: false when the
   * history bound trimmed entries after {@code since}, or when the history it pointed into is
   * gone ({@code recovered}). {@code since} {@code 0} means the whole history. One round trip.
   */
  public Future<Boolean> recovers(String channel, Seq since) {
    return history(channel).recovers(since);
  }

  private TrimmedStream history(String channel) {
    return new TrimmedStream(redis, RedisKeys.channelHistory(channel), RedisKeys.channelTrimmed(channel));
  }
}
