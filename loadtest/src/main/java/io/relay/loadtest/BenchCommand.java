package io.relay.loadtest;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bench [--receivers=100] [--messages=20000] ...}: the options of {@link BenchOptions}, then {@link Bench}. */
@Command(name = "bench", sortOptions = false,
    description = "Starts Redis, 1 ingest and 1 push node, connects receivers, posts as fast as allowed.",
    footer = "Prints throughput, POST and end-to-end latency percentiles, a latency histogram and the services'"
        + " memory, and writes a PNG plot of latency over time.")
final class BenchCommand implements Callable<Integer> {

  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--receivers", paramLabel = "N", defaultValue = "100",
      description = "WebSocket receivers, one user each (default ${DEFAULT-VALUE})")
  private int receivers;

  @Option(names = "--messages", paramLabel = "N", defaultValue = "20000",
      description = "messages posted in total (default ${DEFAULT-VALUE})")
  private int messages;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "64",
      description = "POSTs in flight at once (default ${DEFAULT-VALUE})")
  private int concurrency;

  @Option(names = "--body", paramLabel = "BYTES", defaultValue = "100",
      description = "bytes of padding per message body (default ${DEFAULT-VALUE})")
  private int bodyBytes;

  @Option(names = "--plot", paramLabel = "FILE", defaultValue = "bench-latency.png",
      description = "where to write the latency-over-time PNG (default ${DEFAULT-VALUE})")
  private Path plot;

  BenchOptions options() {
    try {
      return new BenchOptions(receivers, messages, concurrency, bodyBytes, plot);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    return Bench.run(options(), System.out);
  }
}
