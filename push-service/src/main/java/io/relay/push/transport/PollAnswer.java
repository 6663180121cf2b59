package io.relay.push.transport;

import io.relay.model.LogEntry;
import io.relay.model.Seq;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The body of a long-poll answer: {@code {"messages":[…],"next":"<seq>","recovered":true}}.
 * {@code messages} are the very frames a WebSocket gets; {@code next} is the last one's seq, or the
 * cursor the poll read after when there are none; {@code recovered} is the {@code hello} flag.
 */
record PollAnswer(Seq after, boolean recovered, List<LogEntry> entries) {

  PollAnswer withEntries(List<LogEntry> found) {
    return new PollAnswer(after, recovered, found);
  }

  Seq next() {
    return entries.isEmpty() ? after : entries.get(entries.size() - 1).seq();
  }

  /** Spliced as text so each message is byte-identical to its WebSocket frame. */
  String json() {
    String messages = entries.stream().map(LogEntry::frame).collect(Collectors.joining(",", "[", "]"));
    return "{\"messages\":" + messages + ",\"next\":\"" + next() + "\",\"recovered\":" + recovered + "}";
  }
}
