package io.relay.deploy;

import java.util.HashMap;
import java.util.Map;

/** Reads the Prometheus text format: every sample's metric name with its family's type. */
final class Exposition {

  private Exposition() {
  }

  /**
   * Sample name → type of its family ({@code counter}, {@code gauge}, {@code histogram},
   * {@code summary}, {@code untyped}); a histogram's {@code _bucket}, {@code _sum} and
   * {@code _count} series carry the histogram's type.
   */
  static Map<String, String> types(String text) {
    Map<String, String> familyTypes = new HashMap<>();
    Map<String, String> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        familyTypes.put(parts[2], parts[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        String name = line.split("[{ ]", 2)[0];
        samples.put(name, familyOf(name, familyTypes));
      }
    }
    return samples;
  }

  private static String familyOf(String sample, Map<String, String> familyTypes) {
    if (familyTypes.containsKey(sample)) {
      return familyTypes.get(sample);
    }
    for (String suffix : new String[] {"_bucket", "_sum", "_count", "_max", "_created"}) {
      if (sample.endsWith(suffix)) {
        String family = sample.substring(0, sample.length() - suffix.length());
        if (familyTypes.containsKey(family)) {
          return familyTypes.get(family);
        }
      }
    }
    return "untyped";
  }
}
