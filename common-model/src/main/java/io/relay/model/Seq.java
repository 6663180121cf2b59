package io.relay.model;

import java.util.regex.Pattern;

/**
 * A position in a user's log: the Redis stream entry id {@code <millis>-<n>}. Clients treat it as
 * opaque; the server compares positions to keep delivery in order and free of repeats.
 */
public record Seq(long millis, long counter) implements Comparable<Seq> {

  private static final Pattern FORMAT = Pattern.compile("\\d{1,19}(-\\d{1,19})?");

  /** The position before every entry. */
  public static final Seq ZERO = new Seq(0, 0);

  public Seq {
    if (millis < 0 || counter < 0) {
      throw new IllegalArgumentException("seq parts must not be negative");
    }
  }

  /** True when {@code text} is a seq a client may send: {@code <millis>} or {@code <millis>-<n>}. */
  public static boolean isValid(String text) {
    if (text == null || !FORMAT.matcher(text).matches()) {
      return false;
    }
    try {
      parse(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Parses {@code <millis>-<n>} or {@code <millis>} (meaning {@code <millis>-0}). */
  public static Seq parse(String text) {
    int dash = text.indexOf('-');
    if (dash < 0) {
      return new Seq(Long.parseLong(text), 0);
    }
    return new Seq(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
  }

  @Override
  public int compareTo(Seq other) {
    int byMillis = Long.compare(millis, other.millis);
    return byMillis != 0 ? byMillis : Long.compare(counter, other.counter);
  }

  public boolean isAfter(Seq other) {
    return compareTo(other) > 0;
  }

  @Override
  public String toString() {
    return millis + "-" + counter;
  }
}
