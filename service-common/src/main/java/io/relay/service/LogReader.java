package io.relay.service;

import io.relay.model.LogEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.vertx.core.Future;
import java.util.List;

/** Reads a user's log: pages after a position, and the oldest position still retained. */
public final class LogReader {

  private final RedisGateway redis;

  public LogReader(RedisGateway redis) {
    this.redis = redis;
  }

  /** Up to {@code limit} entries strictly after {@code after}, oldest first. */
  public Future<List<LogEntry>> after(String uid, Seq after, int limit) {
    return log(uid).after(after, limit, LogEntry::new);
  }

  /** The seq of the newest entry, or null when the log is empty or gone. */
  public Future<Seq> newest(String uid) {
    return log(uid).newest();
  }

  /**
   * Whether replaying after {@code cursor} gives the client every entry it has not seen: false
   * when retention removed entries after the cursor, or when the log the cursor pointed into is
   * gone (the {@code recovered} flag of a resume, see docs/api.md). One round trip.
   */
  public Future<Boolean> recovers(String uid, Seq cursor) {
    return log(uid).recovers(cursor);
  }

  /** Whether a resume after {@code cursor} is complete ({@link #recovers}) and its first page. */
  public record Resume(boolean recovered, List<LogEntry> firstPage) {
  }

  /** {@link #recovers} and {@link #after} together, in one round trip. */
  public Future<Resume> resume(String uid, Seq cursor, int limit) {
    return log(uid).resume(cursor, limit, LogEntry::new)
        .map(found -> new Resume(found.recovered(), found.firstPage()));
  }

  private TrimmedStream log(String uid) {
    return new TrimmedStream(redis, RedisKeys.log(uid), RedisKeys.trimmed(uid));
  }
}
