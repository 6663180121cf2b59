package io.relay.push.channel;

import io.relay.model.ChannelEntry;
import io.relay.model.Seq;
import io.relay.service.ChannelHistory;
import io.vertx.core.Future;
import java.util.List;

/** What a subscription reads from a channel's stored history. */
public interface ChannelReader {

  /** Up to {@code limit} entries strictly after {@code after}, oldest first. */
  Future<List<ChannelEntry>> after(String channel, Seq after, int limit);

  /** The newest offset, or null when the history is empty. */
  Future<Seq> newest(String channel);

  /** False when entries after {@code since} were trimmed (or the history is gone). */
  Future<Boolean> recovers(String channel, Seq since);

  /** The history in Redis. */
  static ChannelReader of(ChannelHistory history) {
    return new ChannelReader() {
      @Override
      public Future<List<ChannelEntry>> after(String channel, Seq after, int limit) {
        return history.after(channel, after, limit);
      }

      @Override
      public Future<Seq> newest(String channel) {
        return history.newest(channel);
      }

      @Override
      public Future<Boolean> recovers(String channel, Seq since) {
        return history.recovers(channel, since);
      }
    };
  }
}
