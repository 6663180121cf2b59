package io.relay.loadtest;

import java.util.ArrayList;
import java.util.List;

/** Latencies measured during a run, each with the moment it was taken; safe to add to from any thread. */
final class LatencySamples {

  /** One measurement: when it ended and how long it took, both in nanoseconds ({@link System#nanoTime()}). */
  record Sample(long atNanos, long latencyNanos) {
  }

  private final List<Sample> samples = new ArrayList<>();

  synchronized void add(long atNanos, long latencyNanos) {
    samples.add(new Sample(atNanos, latencyNanos));
  }

  synchronized List<Sample> all() {
    return List.copyOf(samples);
  }

  /** The value at {@code percent} (nearest rank; 100 = the largest) of {@code sorted}; 0 when empty. */
  static long percentile(List<Long> sorted, int percent) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Every latency in whole milliseconds, smallest first. */
  List<Long> sortedMillis() {
    List<Long> millis = new ArrayList<>(all().stream().map(s -> s.latencyNanos() / 1_000_000).toList());
    millis.sort(null);
    return millis;
  }
}
