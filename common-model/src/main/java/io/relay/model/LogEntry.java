package io.relay.model;

/**
 * One entry of a user's log as stored: its position and the message JSON without {@code seq}.
 * The wire frame is that JSON with {@code seq} put first, built by the same string splice the
 * store script uses when it publishes, so replayed and live frames are byte-identical.
 */
public record LogEntry(Seq seq, String json) {

  /** How every published log entry frame starts; other published frames (transient) do not. */
  public static final String FRAME_HEAD = "{\"seq\":\"";

  public LogEntry {
    if (json.isEmpty() || json.charAt(0) != '{') {
      throw new IllegalArgumentException("log entry JSON must be an object");
    }
  }

  /** The frame a client receives: {@code {"seq":"<seq>",<rest of json>}}. */
  public String frame() {
    String rest = json.substring(1);
    return "{\"seq\":\"" + seq + "\"" + (rest.startsWith("}") ? "" : ",") + rest;
  }

  /** Parses a published frame (which starts with its {@code seq}) back into an entry. */
  public static LogEntry fromFrame(String frame) {
    String head = FRAME_HEAD;
    if (!frame.startsWith(head)) {
      throw new IllegalArgumentException("frame does not start with seq");
    }
    int end = frame.indexOf('"', head.length());
    Seq seq = Seq.parse(frame.substring(head.length(), end));
    String rest = frame.substring(end + 1);
    return new LogEntry(seq, "{" + (rest.startsWith(",") ? rest.substring(1) : rest));
  }
}
