package io.relay.model;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key's hash tag, modulo 16384. The
 * hash tag is the text between the first {@code {} and the next {@code }} when that is not empty,
 * else the whole key, so every {@code relay:{u:<uid>}:…} key of one user shares one slot.
 */
public final class HashSlot {

  /** Slots in a Redis Cluster. */
  public static final int SLOTS = 16384;

  private static final int[] TABLE = new int[256];

  static {
    for (int n = 0; n < 256; n++) {
      int crc = n << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      TABLE[n] = crc & 0xFFFF;
    }
  }

  private HashSlot() {
  }

  /** The slot Redis Cluster puts {@code key} in (as {@code CLUSTER KEYSLOT} answers). */
  public static int of(String key) {
    return of(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The same for a key as bytes. */
  public static int of(byte[] bytes) {
    int start = 0;
    int end = bytes.length;
    int open = indexOf(bytes, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(bytes, (byte) '}', open + 1);
      if (close > open + 1) {
        start = open + 1;
        end = close;
      }
    }
    return crc16(bytes, start, end) & (SLOTS - 1);
  }

  static int crc16(byte[] bytes, int start, int end) {
    int crc = 0;
    for (int i = start; i < end; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
