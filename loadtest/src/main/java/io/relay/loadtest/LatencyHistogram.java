package io.relay.loadtest;

import java.io.PrintStream;
import java.util.List;

/** Prints how latencies spread over buckets of 1-2-5 milliseconds, with a bar per bucket. */
final class LatencyHistogram {

  /** Upper bounds (inclusive) of the buckets in ms; a last bucket holds everything above. */
  private static final long[] BOUNDS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000};
  private static final int BAR_WIDTH = 40;

  private LatencyHistogram() {
  }

  /** Counts per bucket: index i counts latencies in (BOUNDS[i-1], BOUNDS[i]]; the last index the rest. */
  static long[] counts(List<Long> millis) {
    long[] counts = new long[BOUNDS.length + 1];
    for (long value : millis) {
      int bucket = 0;
      while (bucket < BOUNDS.length && value > BOUNDS[bucket]) {
        bucket++;
      }
      counts[bucket]++;
    }
    return counts;
  }

  /** The buckets from the first to the last non-empty one. */
  static void print(PrintStream out, String title, List<Long> millis) {
    long[] counts = counts(millis);
    int first = 0;
    int last = counts.length - 1;
    while (first < last && counts[first] == 0) {
      first++;
    }
    while (last > first && counts[last] == 0) {
      last--;
    }
    long max = 1;
    for (long count : counts) {
      max = Math.max(max, count);
    }
    out.printf("  %s (%d samples)%n", title, millis.size());
    for (int i = first; i <= last; i++) {
      String label = i < BOUNDS.length ? String.format("<= %5d ms", BOUNDS[i]) : String.format(" > %5d ms", BOUNDS[i - 1]);
      double percent = millis.isEmpty() ? 0 : 100.0 * counts[i] / millis.size();
      out.printf("    %s %8d %5.1f%%  %s%n", label, counts[i], percent, "#".repeat((int) (BAR_WIDTH * counts[i] / max)));
    }
  }
}
