package io.relay.service;

import io.relay.model.Seq;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads of a Redis stream that trimming shortens from the front, beside the key holding the last
 * id trimming removed: a user's log and a channel's history are both one. Entries keep their
 * JSON in field {@code m}.
 */
final class TrimmedStream {

  private final RedisGateway redis;
  private final String stream;
  private final String trimmedMarker;

  TrimmedStream(RedisGateway redis, String stream, String trimmedMarker) {
    this.redis = redis;
    this.stream = stream;
    this.trimmedMarker = trimmedMarker;
  }

  /** Up to {@code limit} entries strictly after {@code after}, oldest first, made by {@code entry}. */
  <T> Future<List<T>> after(Seq after, int limit, BiFunction<Seq, String, T> entry) {
    Request range = Request.cmd(Command.XRANGE).arg(stream).arg("(" + after).arg("+").arg("COUNT").arg(limit);
    return redis.send(range).map(reply -> entries(reply, entry));
  }

  /** The id of the newest entry, or null when the stream is empty or gone. */
  Future<Seq> newest() {
    Request last = Request.cmd(Command.XREVRANGE).arg(stream).arg("+").arg("-").arg("COUNT").arg(1);
    return redis.send(last).map(reply -> reply.size() == 0 ? null : Seq.parse(reply.get(0).get(0).toString()));
  }

  /** What a resume needs to know at once: is the replay complete, and its first page. */
  record Resume<T>(boolean recovered, List<T> firstPage) {
  }

  /**
   * {@link #recovers(Seq)} and {@link #after} together, in one round trip: a connection that
   * resumes needs both before its first frame, and each pooled call costs the node as much as
   * the round trip. The answers come from the same moment of the stream.
   */
  <T> Future<Resume<T>> resume(Seq cursor, int limit, BiFunction<Seq, String, T> entry) {
    return redis.batch(List.of(
            Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+").arg("COUNT").arg(1),
            Request.cmd(Command.GET).arg(trimmedMarker),
            Request.cmd(Command.XRANGE).arg(stream).arg("(" + cursor).arg("+").arg("COUNT").arg(limit)))
        .map(replies -> new Resume<>(recovers(cursor, replies.get(0), replies.get(1)), entries(replies.get(2), entry)));
  }

  private static boolean recovers(Seq cursor, Response oldest, Response trimmed) {
    Seq first = oldest.size() == 0 ? null : Seq.parse(oldest.get(0).get(0).toString());
    return recovers(cursor, first, trimmed == null ? null : Seq.parse(trimmed.toString()));
  }

  /** {@link #recovers(Seq, Seq, Seq)} for this stream as it is now. One round trip. */
  Future<Boolean> recovers(Seq cursor) {
    return redis.batch(List.of(
            Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+").arg("COUNT").arg(1),
            Request.cmd(Command.GET).arg(trimmedMarker)))
        .map(replies -> recovers(cursor, replies.get(0), replies.get(1)));
  }

  /**
   * Whether replaying after {@code cursor} gives a client every entry it has not seen, given the
   * oldest retained id and the last trimmed id (either null when there is none): false when
   * trimming removed entries after the cursor, or when the stream the cursor pointed into is gone.
   * Cursor {@code 0} means "from the start": it recovers only when nothing was ever trimmed.
   */
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

  private static <T> List<T> entries(Response reply, BiFunction<Seq, String, T> entry) {
    List<T> entries = new ArrayList<>(reply.size());
    for (Response item : reply) {
      entries.add(entry.apply(Seq.parse(item.get(0).toString()), fieldValue(item.get(1), "m")));
    }
    return entries;
  }

  private static String fieldValue(Response fields, String name) {
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    throw new IllegalStateException("stream entry without field " + name);
  }
}
