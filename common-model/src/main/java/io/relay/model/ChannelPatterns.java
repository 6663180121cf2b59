package io.relay.model;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The channel rights a token grants ({@code channels} to subscribe, {@code publish} to publish):
 * each pattern is a channel name (exact match) or a prefix ending in {@code *} ({@code show:*}
 * matches {@code show:42}; a lone {@code *} matches every channel). See docs/protocol.md.
 */
public record ChannelPatterns(List<String> patterns) {

  /** The most patterns one claim may carry. */
  public static final int MAX_PATTERNS = 100;

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:@-]{0,63}\\*");

  public static final ChannelPatterns NONE = new ChannelPatterns(List.of());

  public ChannelPatterns {
    patterns = List.copyOf(patterns);
    if (patterns.size() > MAX_PATTERNS) {
      throw new IllegalArgumentException("at most " + MAX_PATTERNS + " channel patterns");
    }
    for (String pattern : patterns) {
      if (!isValid(pattern)) {
        throw new IllegalArgumentException("not a channel name or prefix pattern: " + pattern);
      }
    }
  }

  /**
   * The patterns of a JSON claim or request field named {@code name}: absent (null) means none;
   * anything but a list of valid patterns throws {@link IllegalArgumentException}.
   */
  public static ChannelPatterns fromJson(Object value, String name) {
    if (value == null) {
      return NONE;
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException(name + " must be a list of channel patterns");
    }
    List<String> patterns = new ArrayList<>(array.size());
    for (Object pattern : array) {
      if (!(pattern instanceof String text)) {
        throw new IllegalArgumentException(name + " must be a list of channel patterns");
      }
      patterns.add(text);
    }
    return new ChannelPatterns(patterns);
  }

  /** True for a channel name or a valid name prefix followed by {@code *}. */
  public static boolean isValid(String pattern) {
    return pattern != null && (Ids.isValidName(pattern) || PREFIX.matcher(pattern).matches());
  }

  /** True when some pattern grants {@code channel}. */
  public boolean allows(String channel) {
    for (String pattern : patterns) {
      if (pattern.endsWith("*")
          ? channel.startsWith(pattern.substring(0, pattern.length() - 1))
          : channel.equals(pattern)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }
}
