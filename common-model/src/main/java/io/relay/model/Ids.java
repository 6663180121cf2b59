package io.relay.model;

import java.security.SecureRandom;

/** Identifier rules of docs/protocol.md#identity-and-auth and the generator of global message and connection ids. */
public final class Ids {

  private static final int MAX_NAME = 64;
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {
  }

  /** True for a valid user or room id: 1–64 chars of {@code [A-Za-z0-9_.:@-]}. */
  public static boolean isValidName(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_NAME) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isNameChar(id.charAt(i))) {
        return false;
      }
    }
    return true; // a loop, not a regex: checked for every connection and message, and a Matcher allocates
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '.' || c == ':' || c == '@' || c == '-';
  }

  /**
   * A new global message id: 26 Crockford base-32 chars, 48 bits of milliseconds then 80 random
   * bits (the ULID layout), so ids sort roughly by creation time and never collide in practice.
   */
  public static String newMessageId() {
    return timeOrdered(System.currentTimeMillis());
  }

  /** A new connection id, same shape as a message id. */
  public static String newConnectionId() {
    return timeOrdered(System.currentTimeMillis());
  }

  static String timeOrdered(long millis) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    char[] out = new char[26];
    long time = millis;
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits -> 16 chars of 5 bits each.
    int bitBuffer = 0;
    int bitCount = 0;
    int pos = 10;
    for (byte b : random) {
      bitBuffer = (bitBuffer << 8) | (b & 0xff);
      bitCount += 8;
      while (bitCount >= 5) {
        out[pos++] = CROCKFORD[(bitBuffer >>> (bitCount - 5)) & 31];
        bitCount -= 5;
      }
    }
    return new String(out);
  }
}
