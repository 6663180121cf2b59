package io.relay.loadtest;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code chaos [--clients=20] [--rate=50] ...}: the options of {@link ChaosOptions}, then {@link ChaosRun}. */
@Command(name = "chaos", sortOptions = false,
    description = "Starts Redis, 2 ingest and 2 push nodes, connects clients, posts while injecting faults.",
    footer = "Exit status 0 when every 2xx message reached every device in order, 1 otherwise.")
final class ChaosCommand implements Callable<Integer> {

  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--clients", paramLabel = "N", defaultValue = "20",
      description = "WebSocket clients, one user each (default ${DEFAULT-VALUE})")
  private int clients;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "50",
      description = "messages per second, in total (default ${DEFAULT-VALUE})")
  private int rate;

  @Option(names = "--duration", paramLabel = "SEC", defaultValue = "60",
      description = "seconds of traffic and faults (default ${DEFAULT-VALUE})")
  private int durationSec;

  @Option(names = "--fault-every", paramLabel = "SEC", defaultValue = "6",
      description = "mean seconds between faults (default ${DEFAULT-VALUE})")
  private int faultEverySec;

  @Option(names = "--settle", paramLabel = "SEC", defaultValue = "30",
      description = "longest wait for the last deliveries after the run (default ${DEFAULT-VALUE})")
  private int settleSec;

  @Option(names = "--seed", paramLabel = "N",
      description = "random seed (default: time-based; printed at start, reuse it to repeat a run)")
  private Long seed;

  ChaosOptions options() {
    try {
      return new ChaosOptions(clients, rate, durationSec, faultEverySec, settleSec,
          seed != null ? seed : System.nanoTime());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    return ChaosRun.run(options(), System.out).passed() ? 0 : 1;
  }
}
