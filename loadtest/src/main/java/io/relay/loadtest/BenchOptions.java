package io.relay.loadtest;

/**
 * Settings of the end-to-end benchmark.
 *
 * @param receivers   WebSocket receivers, one user each (default 100)
 * @param messages    messages to post in total (default 20000)
 * @param concurrency HTTP requests in flight at once (default 64)
 * @param bodyBytes   padding in each message body (default 100)
 */
public record BenchOptions(int receivers, int messages, int concurrency, int bodyBytes) {

  static final String HELP = """
      bench: starts Redis, 1 ingest and 1 push node, connects receivers, posts as fast as allowed
        --receivers=100    WebSocket receivers (one user each)
        --messages=20000   messages posted in total
        --concurrency=64   POSTs in flight at once
        --body=100         bytes of padding per message body
      Prints throughput, POST and end-to-end latency percentiles, and the services' memory.""";

  public static BenchOptions parse(String[] args) {
    Args a = new Args(args, "receivers", "messages", "concurrency", "body");
    return new BenchOptions(a.integer("receivers", 100), a.integer("messages", 20_000),
        a.integer("concurrency", 64), a.integer("body", 100));
  }
}
