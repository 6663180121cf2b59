package io.relay.service.warmup;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits the bytes a Redis client sends into commands: RESP arrays of bulk strings, which may
 * arrive cut anywhere and several per read. Only what {@link LoopbackRedis} needs, no inline commands.
 */
final class RespCommands {

  private final Consumer<List<String>> commands;
  private Buffer pending = Buffer.buffer();

  RespCommands(Consumer<List<String>> commands) {
    this.commands = commands;
  }

  void feed(Buffer bytes) {
    pending.appendBuffer(bytes);
    int pos = 0;
    while (true) {
      int end = parse(pos);
      if (end < 0) {
        break;
      }
      pos = end;
    }
    pending = pos == pending.length() ? Buffer.buffer() : pending.getBuffer(pos, pending.length());
  }

  /** Parses one command at {@code pos}, hands it on and returns where the next starts; -1 if incomplete. */
  private int parse(int pos) {
    if (pos >= pending.length()) {
      return -1;
    }
    if (pending.getByte(pos) != '*') {
      throw new IllegalStateException("not a RESP array");
    }
    int lineEnd = lineEnd(pos);
    if (lineEnd < 0) {
      return -1;
    }
    int count = Integer.parseInt(pending.getString(pos + 1, lineEnd, "US-ASCII"));
    List<String> args = new ArrayList<>(count);
    int at = lineEnd + 2;
    for (int i = 0; i < count; i++) {
      if (at >= pending.length()) {
        return -1;
      }
      int headerEnd = lineEnd(at);
      if (headerEnd < 0) {
        return -1;
      }
      int length = Integer.parseInt(pending.getString(at + 1, headerEnd, "US-ASCII"));
      int start = headerEnd + 2;
      if (start + length + 2 > pending.length()) {
        return -1;
      }
      args.add(new String(pending.getBytes(start, start + length), StandardCharsets.UTF_8));
      at = start + length + 2;
    }
    commands.accept(args);
    return at;
  }

  private int lineEnd(int from) {
    for (int i = from; i + 1 < pending.length(); i++) {
      if (pending.getByte(i) == '\r' && pending.getByte(i + 1) == '\n') {
        return i;
      }
    }
    return -1;
  }
}
