package io.relay.push.channel;

import io.relay.model.ChannelEntry;
import io.relay.model.Seq;
import io.relay.push.session.SharedFrame;

/**
 * A channel message frame on its way to connections: its offset (null for a transient message,
 * which is never stored) and the frame, encoded at most once per transport kind and shared by
 * every connection it goes to.
 */
record ChannelFrame(Seq offset, SharedFrame frame) {

  /** SSE names channel events {@code channel}. */
  static final String EVENT = "channel";

  /** A frame as published on the channel's pub/sub, for every member: stored ones start with their offset. */
  static ChannelFrame published(String text) {
    return new ChannelFrame(ChannelEntry.isStored(text) ? ChannelEntry.offsetOf(text) : null,
        new SharedFrame(EVENT, text, true));
  }

  /** A stored entry read from the history, for one connection. */
  static ChannelFrame stored(ChannelEntry entry) {
    return new ChannelFrame(entry.offset(), new SharedFrame(EVENT, entry.frame(), false));
  }

  boolean isStored() {
    return offset != null;
  }
}
