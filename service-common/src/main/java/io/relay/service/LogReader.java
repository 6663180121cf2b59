package io.relay.service;

import io.relay.model.LogEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** Reads a user's log: pages after a position, and the oldest position still retained. */
public final class LogReader {

  private final RedisGateway redis;

  public LogReader(RedisGateway redis) {
    this.redis = redis;
  }

  /** Up to {@code limit} entries strictly after {@code after}, oldest first. */
  public Future<List<LogEntry>> after(String uid, Seq after, int limit) {
    Request range = Request.cmd(Command.XRANGE).arg(RedisKeys.log(uid)).arg("(" + after).arg("+")
        .arg("COUNT").arg(limit);
    return redis.send(range).map(LogReader::entries);
  }

  /** The seq of the newest entry, or null when the log is empty or gone. */
  public Future<Seq> newest(String uid) {
    Request last = Request.cmd(Command.XREVRANGE).arg(RedisKeys.log(uid)).arg("+").arg("-").arg("COUNT").arg(1);
    return redis.send(last).map(reply -> reply.size() == 0 ? null : Seq.parse(reply.get(0).get(0).toString()));
  }

  /**
   * Whether replaying after {@code cursor} gives the client every entry it has not seen: false
   * when retention removed entries after the cursor, or when the log the cursor pointed into is
   * gone (the {@code recovered} flag of §4). One round trip.
   */
  public Future<Boolean> recovers(String uid, Seq cursor) {
    return redis.batch(List.of(
            Request.cmd(Command.XRANGE).arg(RedisKeys.log(uid)).arg("-").arg("+").arg("COUNT").arg(1),
            Request.cmd(Command.GET).arg(RedisKeys.trimmed(uid))))
        .map(replies -> {
          Response oldest = replies.get(0);
          Seq first = oldest.size() == 0 ? null : Seq.parse(oldest.get(0).get(0).toString());
          Seq trimmed = replies.get(1) == null ? null : Seq.parse(replies.get(1).toString());
          return recovers(cursor, first, trimmed);
        });
  }

  static boolean recovers(Seq cursor, Seq oldest, Seq trimmedUpTo) {
    if (cursor.equals(Seq.ZERO)) {
      return trimmedUpTo == null;
    }
    if (oldest == null) {
      return false;
    }
    if (!oldest.isAfter(cursor)) {
      return true;
    }
    return trimmedUpTo != null && !trimmedUpTo.isAfter(cursor);
  }

  static List<LogEntry> entries(Response reply) {
    List<LogEntry> entries = new ArrayList<>(reply.size());
    for (Response entry : reply) {
      Response fields = entry.get(1);
      entries.add(new LogEntry(Seq.parse(entry.get(0).toString()), fieldValue(fields, "m")));
    }
    return entries;
  }

  private static String fieldValue(Response fields, String name) {
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    throw new IllegalStateException("log entry without field " + name);
  }
}
