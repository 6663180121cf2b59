package io.relay.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyReportTest {

  @Test
  void percentileIsTheNearestRank() {
    List<Long> sorted = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(LatencySamples.percentile(sorted, 50)).isEqualTo(5);
    assertThat(LatencySamples.percentile(sorted, 99)).isEqualTo(10);
    assertThat(LatencySamples.percentile(sorted, 100)).isEqualTo(10);
    assertThat(LatencySamples.percentile(sorted, 1)).isEqualTo(1);
    assertThat(LatencySamples.percentile(List.of(), 50)).isZero();
  }

  @Test
  void samplesInMillisAreSortedWhateverTheOrderTheyCameIn() {
    LatencySamples samples = new LatencySamples();
    samples.add(3, 7_900_000);
    samples.add(1, 2_000_000);
    samples.add(2, 500_000);
    assertThat(samples.sortedMillis()).containsExactly(0L, 2L, 7L);
  }

  @Test
  void histogramCountsEachLatencyInItsOneTwoFiveBucket() {
    long[] counts = LatencyHistogram.counts(List.of(0L, 1L, 2L, 3L, 5L, 6L, 10_000L, 10_001L));
    assertThat(counts[0]).as("<= 1 ms").isEqualTo(2);
    assertThat(counts[1]).as("<= 2 ms").isEqualTo(1);
    assertThat(counts[2]).as("<= 5 ms").isEqualTo(2);
    assertThat(counts[3]).as("<= 10 ms").isEqualTo(1);
    assertThat(counts[counts.length - 2]).as("<= 10000 ms").isEqualTo(1);
    assertThat(counts[counts.length - 1]).as("> 10000 ms").isEqualTo(1);
  }

  @Test
  void histogramPrintsFromTheFirstToTheLastNonEmptyBucketWithBarsToScale() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LatencyHistogram.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "e2e", List.of(3L, 4L, 4L, 4L, 15L));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).contains("e2e (5 samples)");
    assertThat(lines).hasSize(4); // <= 5, <= 10 (empty, inside the range), <= 20
    assertThat(lines.get(1)).contains("<=     5 ms", "4", "80.0%").endsWith("#".repeat(40));
    assertThat(lines.get(2)).contains("<=    10 ms", "0.0%").doesNotContain("#");
    assertThat(lines.get(3)).contains("<=    20 ms", "20.0%").endsWith(" " + "#".repeat(10));
  }

  @Test
  void chartIsAPngOfTheConfiguredSize(@TempDir Path dir) throws Exception {
    LatencySamples e2e = new LatencySamples();
    LatencySamples post = new LatencySamples();
    long start = 1_000_000_000L;
    for (int i = 0; i < 500; i++) {
      long at = start + i * 10_000_000L;
      e2e.add(at, 2_000_000L + (i % 50) * 100_000L);
      post.add(at, 1_000_000L);
    }
    Path file = LatencyChart.write(dir.resolve("latency.png"), "test", start,
        List.of(new LatencyChart.Curve("end-to-end", e2e, 50, 99, 100), new LatencyChart.Curve("POST", post, 99)));
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("a readable PNG").isNotNull();
    assertThat(image.getWidth()).isEqualTo(1200);
    assertThat(image.getHeight()).isEqualTo(600);
  }
}
