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
      int next = payload.indexOf('\n', line);
      String text = payload.substring(line, Math.min(next, end));
      recipients.add(transientFrame ? transientRecipient(text) : recipient(text));
      line = next + 1;
    }
    return new NodePayload(recipients, payload.substring(end + 2));
  }

  private static Recipient transientRecipient(String line) {
    if (line.isEmpty() || line.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("bad recipient line: " + line);
    }
    return new Recipient(line, null);
  }

  private static Recipient recipient(String line) {
    int space = line.indexOf(' ');
    if (space <= 0 || !Seq.isValid(line.substring(space + 1))) {
      throw new IllegalArgumentException("bad recipient line: " + line);
    }
    return new Recipient(line.substring(0, space), Seq.parse(line.substring(space + 1)));
  }
}
