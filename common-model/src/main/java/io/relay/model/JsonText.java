package io.relay.model;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.json.Json;

/**
 * JSON text written by hand for the few documents every message makes (its stored entry, the
 * {@code 201} answer): a Jackson generator per document cost more than the rest of building it.
 * Strings are escaped exactly as Jackson's generator escapes them, and anything but a string, a
 * boolean or null is encoded by Vert.x's codec, so the text is the one {@code JsonObject.encode}
 * gives.
 */
public final class JsonText {

  private JsonText() {
  }

  /** Appends {@code value} as a JSON string, or {@code null}. */
  public static StringBuilder appendString(StringBuilder out, String value) {
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    if (needsEscaping(value)) {
      JsonStringEncoder.getInstance().quoteAsString(value, out);
    } else {
      out.append(value);
    }
    return out.append('"');
  }

  /** Appends any JSON value as {@code JsonObject.encode} would write it inside an object. */
  public static StringBuilder appendValue(StringBuilder out, Object value) {
    if (value == null || value instanceof String) {
      return appendString(out, (String) value);
    }
    if (value instanceof Boolean flag) {
      return out.append(flag.booleanValue());
    }
    return out.append(Json.encode(value));
  }

  /** {@code value} encoded as a JSON value. */
  public static String encode(Object value) {
    return appendValue(new StringBuilder(), value).toString();
  }

  /** What Jackson escapes: control characters, the quote and the backslash (not '/', not non-ASCII). */
  private static boolean needsEscaping(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }
}
