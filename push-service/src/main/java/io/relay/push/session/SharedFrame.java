package io.relay.push.session;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A frame sent to many connections at once (a channel message): its UTF-8 bytes, which every
 * WebSocket writes, and any other transport's encoding are computed at most once and shared by
 * every connection. Used only from the event loop that fans it out.
 */
public final class SharedFrame {

  private final String event;
  private final String text;
  private byte[] utf8;
  private Function<SharedFrame, Buffer> encoder;
  private Buffer encoded;

  /**
   * @param event what SSE names the event ({@code event: <event>})
   * @param text  the JSON frame
   */
  public SharedFrame(String event, String text) {
    this.event = event;
    this.text = text;
  }

  public String event() {
    return event;
  }

  public String text() {
    return text;
  }

  /** The frame's UTF-8 bytes, encoded on first use; shared, so never to be modified. */
  public byte[] utf8() {
    if (utf8 == null) {
      utf8 = text.getBytes(StandardCharsets.UTF_8);
    }
    return utf8;
  }

  /**
   * The frame as {@code encoder} turns it into bytes, computed on first use and then shared. One
   * transport kind besides WebSocket uses this (SSE), so one encoding is kept.
   */
  public Buffer encoded(Function<SharedFrame, Buffer> encoder) {
    if (this.encoder != encoder) {
      this.encoded = encoder.apply(this);
      this.encoder = encoder;
    }
    return encoded;
  }
}
