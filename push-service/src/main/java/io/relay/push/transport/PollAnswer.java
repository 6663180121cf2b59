package io.relay.push.transport;

import io.relay.model.ChannelEntry;
import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.relay.push.channel.ChannelPoll;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The body of a long-poll answer: {@code {"messages":[…],"next":"<seq>","recovered":true}}, and
 * with polled channels {@code "channels":{"<name>":{"messages":[…],"next":"<offset>"}}}.
 * {@code messages} are the very frames a WebSocket gets; {@code next} is the last one's seq, or the
 * cursor the poll read after when there are none; {@code recovered} is the {@code hello} flag.
 *
 * @param channels the polled channels, or null when the request named none
 */
record PollAnswer(Seq after, boolean recovered, List<LogEntry> entries, ChannelPoll channels,
    Map<String, List<ChannelEntry>> channelEntries) {

  PollAnswer withEntries(List<LogEntry> found, Map<String, List<ChannelEntry>> foundInChannels) {
    return new PollAnswer(after, recovered, found, channels, foundInChannels);
  }

  boolean isEmpty() {
    return entries.isEmpty() && !ChannelPoll.anyFound(channelEntries);
  }

  Seq next() {
    return entries.isEmpty() ? after : entries.get(entries.size() - 1).seq();
  }

  /** Spliced as text so each message is byte-identical to its WebSocket frame. */
  String json() {
    String messages = entries.stream().map(LogEntry::frame).collect(Collectors.joining(",", "[", "]"));
    String channelPart = channels == null ? "" : ",\"channels\":" + channels.json(channelEntries);
    return "{\"messages\":" + messages + ",\"next\":\"" + next() + "\",\"recovered\":" + recovered + channelPart + "}";
  }
}
