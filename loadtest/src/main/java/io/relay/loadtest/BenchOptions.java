package io.relay.loadtest;

import java.nio.file.Path;

/**
 * Settings of the end-to-end benchmark.
 *
 * @param receivers   WebSocket receivers, one user each (default 100)
 * @param messages    messages to post in total (default 20000)
 * @param concurrency HTTP requests in flight at once (default 64)
 * @param bodyBytes   padding in each message body (default 100)
 * @param plot        where the PNG of latency over time goes (default {@code bench-latency.png})
 */
public record BenchOptions(int receivers, int messages, int concurrency, int bodyBytes, Path plot) {

  public BenchOptions {
    if (receivers < 1 || messages < 1 || concurrency < 1 || bodyBytes < 0) {
      throw new IllegalArgumentException("receivers, messages and concurrency >= 1, body >= 0");
    }
  }
}
