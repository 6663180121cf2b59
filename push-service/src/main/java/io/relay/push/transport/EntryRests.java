package io.relay.push.transport;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;

/**
 * The part of a log entry's frame after its {@code seq}, as UTF-8 bytes, encoded once for all the
 * members of a room: the router hands every member's connections the same JSON string, one member
 * after another, so a one-entry cache per event-loop thread, keyed by that string's identity,
 * serves all but the first.
 */
final class EntryRests {

  private static final FastThreadLocal<EntryRests> OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected EntryRests initialValue() {
      return new EntryRests();
    }
  };

  private String json;
  private byte[] rest;

  private EntryRests() {
  }

  /** The UTF-8 bytes of {@code json} after its opening brace. */
  static byte[] of(String json) {
    EntryRests last = OF_THREAD.get();
    if (last.json != json) {
      last.rest = json.substring(1).getBytes(StandardCharsets.UTF_8);
      last.json = json;
    }
    return last.rest;
  }
}
