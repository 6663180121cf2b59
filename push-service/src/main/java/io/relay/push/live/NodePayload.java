package io.relay.push.live;

import io.relay.model.Seq;
import java.util.ArrayList;
import java.util.List;

/**
 * What a room script publishes once per push node on {@code relay:{n:<node>}:live}: the members
 * this node holds a binding of, each with the seq the entry got in that member's log, and the
 * entry JSON (without seq) once. Line based, so no JSON is parsed:
 * <pre>R\n&lt;uid&gt; &lt;seq&gt;\n&lt;uid&gt; &lt;seq&gt;\n…\n\n&lt;entry json without seq&gt;</pre>
 *
 * @param recipients who gets the entry, and at which seq of their own log
 * @param json       the entry JSON without {@code seq}
 */
public record NodePayload(List<Recipient> recipients, String json) {

  /** How a routed log entry starts. */
  public static final String HEAD = "R\n";

  /** One member of the payload: a user and the entry's seq in that user's log. */
  public record Recipient(String uid, Seq seq) {
  }

  public NodePayload {
    recipients = List.copyOf(recipients);
  }

  public static boolean isRouted(String payload) {
    return payload.startsWith(HEAD);
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
    List<Recipient> recipients = new ArrayList<>();
    int line = HEAD.length();
    while (line < end) {
      int next = payload.indexOf('\n', line);
      recipients.add(recipient(payload.substring(line, Math.min(next, end))));
      line = next + 1;
    }
    return new NodePayload(recipients, payload.substring(end + 2));
  }

  private static Recipient recipient(String line) {
    int space = line.indexOf(' ');
    if (space <= 0 || !Seq.isValid(line.substring(space + 1))) {
      throw new IllegalArgumentException("bad recipient line: " + line);
    }
    return new Recipient(line.substring(0, space), Seq.parse(line.substring(space + 1)));
  }
}
