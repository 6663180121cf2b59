package io.relay.loadtest;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG of latency over a run: the samples grouped into about {@value #WINDOWS} time windows,
 * and per window the chosen percentiles (for example the median, the 99th and the maximum).
 */
final class LatencyChart {

  static final int WINDOWS = 100;
  private static final long MIN_WINDOW_NANOS = 100_000_000L;
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 600;
  private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0xd62728),
      new Color(0x7f7f7f), new Color(0x2ca02c), new Color(0x9467bd)};

  private LatencyChart() {
  }

  /** One curve: a named set of samples, of which the given percentiles (100 = max) are drawn. */
  record Curve(String name, LatencySamples samples, int... percentiles) {
  }

  /** Writes the chart of {@code curves}, timed from {@code startNanos}, to {@code file}. */
  static Path write(Path file, String title, long startNanos, List<Curve> curves) throws IOException {
    long endNanos = curves.stream().flatMap(c -> c.samples().all().stream())
        .mapToLong(LatencySamples.Sample::atNanos).max().orElse(startNanos);
    long window = Math.max(MIN_WINDOW_NANOS, (endNanos - startNanos) / WINDOWS + 1);
    XYSeriesCollection data = new XYSeriesCollection();
    for (Curve curve : curves) {
      Map<Long, List<Long>> byWindow = byWindow(curve.samples(), startNanos, window);
      for (int percent : curve.percentiles()) {
        data.addSeries(series(curve.name() + (percent == 100 ? " max" : " p" + percent), byWindow, percent, window));
      }
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title,
        String.format("seconds since the first POST (one point per %.1f s)", window / 1e9),
        "latency (ms)", data, PlotOrientation.VERTICAL, true, false, false);
    style(chart.getXYPlot());
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return file.toAbsolutePath();
  }

  private static Map<Long, List<Long>> byWindow(LatencySamples samples, long startNanos, long window) {
    Map<Long, List<Long>> byWindow = new TreeMap<>();
    for (LatencySamples.Sample sample : samples.all()) {
      byWindow.computeIfAbsent((sample.atNanos() - startNanos) / window, w -> new ArrayList<>())
          .add(sample.latencyNanos());
    }
    byWindow.values().forEach(latencies -> latencies.sort(null));
    return byWindow;
  }

  /** Per window, the latency at {@code percent}, in ms, plotted at the window's middle. */
  private static XYSeries series(String name, Map<Long, List<Long>> byWindow, int percent, long window) {
    XYSeries series = new XYSeries(name);
    byWindow.forEach((index, sorted) -> series.add((index + 0.5) * window / 1e9,
        LatencySamples.percentile(sorted, percent) / 1e6));
    return series;
  }

  /** Fixed colours (the default palette has yellow on white), thicker lines, later curves drawn on top. */
  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
    for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
  }
}
