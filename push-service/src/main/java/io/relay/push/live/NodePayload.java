package io.relay.push.live;

import io.relay.model.Seq;
import java.util.ArrayList;
import java.util.List;

/**
 * What a room script publishes once per push node on {@code relay:{n:<node>}:live}: the members
 * this node holds a binding of, each with the seq the entry got in that member's log, and the
 * entry JSON (without seq) once. Line based, so no JSON is parsed:
 * <pre>R\n&lt;uid&gt; &lt;seq&gt;\n&lt;uid&gt; &lt;seq&gt;\n…\n\n&lt;entry json without seq&gt;</pre>
 * A transient frame (a typing indicator, never stored) is routed the same way without seqs:
 * <pre>T\n&lt;uid&gt;\n&lt;uid&gt;\n…\n\n&lt;frame json&gt;</pre>
 *
 * @param recipients who gets the entry, and at which seq of their own log (null for a transient frame)
 * @param json       the entry JSON without {@code seq}
 */
public record NodePayload(List<Recipient> recipients, String json) {

  /** How a routed log entry starts. */
  public static final String HEAD = "R\n";
  /** How a routed transient frame starts. */
  public static final String TRANSIENT_HEAD = "T\n";

  /** One member of the payload: a user and the entry's seq in that user's log (null: transient). */
  public record Recipient(String uid, Seq seq) {
  }

  public NodePayload {
    recipients = List.copyOf(recipients);
  }

  public static boolean isRouted(String payload) {
    return payload.startsWith(HEAD) || payload.startsWith(TRANSIENT_HEAD);
  }

  /** True for a transient frame: no seqs, not in any log. */
  public boolean isTransient() {
    return !recipients.isEmpty() && recipients.get(0).seq() == null;
  }

  /** Parses a payload; throws {@link IllegalArgumentException} for anything else. */
  public static NodePayload parse(String payload) {
    if (!isRouted(payload)) {
      throw new IllegalArgumentException("not a routed entry");
    }
    int end = payload.indexOf("\n\n", HEAD.length() - 1);
    if (end < 0 || end + 2 >= payload.length() || payload.charAt(end + 2) != '{') {
      throw new IllegalArgumentException("routed entry without JSON");
    }
    boolean transientFrame = payload.startsWith(TRANSIENT_HEAD);
    List<Recipient> recipients = new ArrayList<>();
    int line = HEAD.length();
    while (line < end) {
      int next = Math.min(payload.indexOf('\n', line), end);
      recipients.add(transientFrame ? transientRecipient(payload, line, next) : recipient(payload, line, next));
      line = next + 1;
    }
    return new NodePayload(recipients, payload.substring(end + 2));
  }

  private static Recipient transientRecipient(String payload, int from, int to) {
    if (from == to || payload.lastIndexOf(' ', to - 1) >= from) {
      throw badLine(payload, from, to);
    }
    return new Recipient(payload.substring(from, to), null);
  }

  /** {@code <uid> <seq>}, read in place: a room entry has a line per member, so no regex and no copies but the uid. */
  private static Recipient recipient(String payload, int from, int to) {
    int space = payload.indexOf(' ', from);
    if (space <= from || space >= to) {
      throw badLine(payload, from, to);
    }
    int dash = payload.indexOf('-', space + 1);
    boolean hasCounter = dash >= 0 && dash < to;
    long millis = decimal(payload, space + 1, hasCounter ? dash : to);
    long counter = hasCounter ? decimal(payload, dash + 1, to) : 0;
    if (millis < 0 || counter < 0) {
      throw badLine(payload, from, to);
    }
    return new Recipient(payload.substring(from, space), new Seq(millis, counter));
  }

  /** The value of 1 to 19 decimal digits that fit a long, or -1. */
  private static long decimal(String text, int from, int to) {
    if (to - from < 1 || to - from > 19) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9' || value > (Long.MAX_VALUE - (c - '0')) / 10) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static IllegalArgumentException badLine(String payload, int from, int to) {
    return new IllegalArgumentException("bad recipient line: " + payload.substring(from, to));
  }
}
