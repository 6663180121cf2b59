package io.relay.model;

/**
 * One entry of a channel's history as stored: its offset and the message frame JSON without
 * {@code offset}. The wire frame puts {@code "offset"} first, built by the same string splice the
 * channel store script uses when it publishes, so replayed and live frames are byte-identical and
 * a push node finds the offset of a published frame without parsing the JSON.
 */
public record ChannelEntry(Seq offset, String json) {

  /** How every published channel entry frame starts; transient channel frames do not. */
  public static final String FRAME_HEAD = "{\"offset\":\"";

  public ChannelEntry {
    if (json.isEmpty() || json.charAt(0) != '{') {
      throw new IllegalArgumentException("channel entry JSON must be an object");
    }
  }

  /** The frame a client receives: {@code {"offset":"<offset>",<rest of json>}}. */
  public String frame() {
    String rest = json.substring(1);
    return FRAME_HEAD + offset + "\"" + (rest.startsWith("}") ? "" : ",") + rest;
  }

  /** True when {@code frame} is a stored entry's frame (it carries an offset). */
  public static boolean isStored(String frame) {
    return frame.startsWith(FRAME_HEAD);
  }

  /** The offset of a published stored frame, read without parsing the rest. */
  public static Seq offsetOf(String frame) {
    if (!isStored(frame)) {
      throw new IllegalArgumentException("frame does not start with offset");
    }
    int end = frame.indexOf('"', FRAME_HEAD.length());
    return Seq.parse(frame.substring(FRAME_HEAD.length(), end));
  }
}
