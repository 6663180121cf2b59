package io.relay.push.session;

import io.vertx.core.buffer.Buffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A frame sent to many connections at once (a channel message): each transport kind encodes it at
 * most once and every connection of that kind writes the same bytes. Used only from the push
 * verticle's event loop.
 *
 * @param event what SSE names the event ({@code event: <event>})
 * @param text  the JSON frame
 */
public record SharedFrame(String event, String text, Map<Function<SharedFrame, Buffer>, Buffer> encodings) {

  public SharedFrame(String event, String text) {
    this(event, text, new IdentityHashMap<>(2));
  }

  /** The frame as {@code encoder} turns it into bytes, computed on first use and then shared. */
  public Buffer encoded(Function<SharedFrame, Buffer> encoder) {
    return encodings.computeIfAbsent(encoder, e -> e.apply(this));
  }
}
