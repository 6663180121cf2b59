package io.relay.push.session;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A frame for connections: its UTF-8 bytes and each transport kind's encoding are computed at
 * most once and shared by every connection it goes to. A frame {@link #fannedOut fanned out} to
 * many connections at once (a live channel message) is worth one wire buffer that WebSockets
 * which are behind write as views of a large frame, without a copy each; one read for a single
 * connection (a replayed entry) is not. Used only from the event loop that delivers it.
 */
public final class SharedFrame {

  private final String event;
  private final String text;
  private final boolean fannedOut;
  private byte[] utf8;
  private Function<SharedFrame, ?> firstEncoder;
  private Object firstEncoding;
  private Function<SharedFrame, ?> secondEncoder;
  private Object secondEncoding;

  /**
   * @param event     what SSE names the event ({@code event: <event>})
   * @param text      the JSON frame
   * @param fannedOut true when it goes to many connections at once
   */
  public SharedFrame(String event, String text, boolean fannedOut) {
    this.event = event;
    this.text = text;
    this.fannedOut = fannedOut;
  }

  public String event() {
    return event;
  }

  public String text() {
    return text;
  }

  /** True when the frame goes to many connections at once (see the class comment). */
  public boolean fannedOut() {
    return fannedOut;
  }

  /** The frame's UTF-8 bytes, encoded on first use; shared, so never to be modified. */
  public byte[] utf8() {
    if (utf8 == null) {
      utf8 = text.getBytes(StandardCharsets.UTF_8);
    }
    return utf8;
  }

  /**
   * The frame as {@code encoder} turns it into bytes, computed on first use and then shared. Two
   * encodings are kept (WebSocket and SSE: the transport kinds that share frames).
   */
  @SuppressWarnings("unchecked")
  public <T> T encoded(Function<SharedFrame, T> encoder) {
    if (firstEncoder == encoder) {
      return (T) firstEncoding;
    }
    if (secondEncoder == encoder) {
      return (T) secondEncoding;
    }
    T encoding = encoder.apply(this);
    if (firstEncoder == null) {
      firstEncoder = encoder;
      firstEncoding = encoding;
    } else if (secondEncoder == null) {
      secondEncoder = encoder;
      secondEncoding = encoding;
    }
    return encoding;
  }
}
