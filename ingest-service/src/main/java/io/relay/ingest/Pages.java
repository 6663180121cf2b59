package io.relay.ingest;

import io.relay.service.ApiError;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The bounds of every page a read endpoint answers ({@code GET /v1/messages}, room history): at
 * most {@link #MAX_ENTRIES} entries and about {@link #MAX_BYTES} of entry JSON, so no request
 * makes a node build a response of unbounded size. A page cut short says where to continue.
 */
final class Pages {

  /** Most entries in one page; a larger {@code limit} is served as this. */
  static final int MAX_ENTRIES = 100;
  /** Entry JSON one page carries at most, unless its first entry alone is bigger. */
  static final int MAX_BYTES = 1024 * 1024;

  private Pages() {
  }

  /**
   * The {@code limit} query parameter: absent → {@code fallback}; an integer ≥ 1 → itself, at most
   * {@link #MAX_ENTRIES}; anything else → 400.
   */
  static int limit(RoutingContext ctx, int fallback) {
    return limit(ctx.request().getParam("limit"), fallback);
  }

  /** The same for the raw parameter ({@code null} when absent). */
  static int limit(String limit, int fallback) {
    if (limit == null || limit.isEmpty()) {
      return fallback;
    }
    if (limit.length() <= 10 && limit.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long value = Long.parseLong(limit);
      if (value >= 1) {
        return (int) Math.min(value, MAX_ENTRIES);
      }
    }
    throw ApiError.invalidField("limit must be a positive integer (pages hold at most " + MAX_ENTRIES + ")");
  }

  /** How many of {@code entries}, from the first, fit in {@link #MAX_BYTES} (at least one when there is one). */
  static <T> int fitting(List<T> entries, ToIntFunction<T> bytes) {
    long total = 0;
    for (int i = 0; i < entries.size(); i++) {
      total += bytes.applyAsInt(entries.get(i));
      if (total > MAX_BYTES && i > 0) {
        return i;
      }
    }
    return entries.size();
  }
}
