package io.relay.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadtestCommandsTest {

  @Test
  void benchTakesTheDocumentedFlagsWithTheirDefaults() {
    assertThat(bench()).isEqualTo(new BenchOptions(100, 20_000, 64, 100, Path.of("bench-latency.png")));
    assertThat(bench("--receivers=20", "--messages=2000", "--concurrency=8", "--body=10", "--plot=/tmp/x.png"))
        .isEqualTo(new BenchOptions(20, 2000, 8, 10, Path.of("/tmp/x.png")));
  }

  @Test
  void chaosTakesTheDocumentedFlagsWithTheirDefaults() {
    ChaosOptions defaults = chaos("--seed=7");
    assertThat(defaults).isEqualTo(new ChaosOptions(20, 50, 60, 6, 30, 7));
    assertThat(chaos("--clients=12", "--rate=30", "--duration=600", "--fault-every=5", "--settle=45", "--seed=42"))
        .isEqualTo(new ChaosOptions(12, 30, 600, 5, 45, 42));
    assertThat(chaos("--clients", "12", "--seed", "3").clients()).isEqualTo(12);
  }

  @Test
  void usageErrorsExitWithStatusTwoAndNameTheProblem() {
    assertThat(run("bench", "--receiverz=3")).startsWith("2:").contains("--receiverz");
    assertThat(run("chaos", "--rate=fast")).startsWith("2:").contains("--rate");
    assertThat(run("chaos", "--clients=1")).startsWith("2:").contains("clients >= 2");
    assertThat(run()).startsWith("2:").contains("chaos", "bench");
    assertThat(run("nonsense")).startsWith("2:");
  }

  @Test
  void helpListsBothCommandsAndEveryOption() {
    assertThat(run("help")).startsWith("0:").contains("chaos", "bench");
    assertThat(run("bench", "--help")).startsWith("0:")
        .contains("--receivers", "--messages", "--concurrency", "--body", "--plot", "default 20000");
    assertThat(run("chaos", "--help")).startsWith("0:")
        .contains("--clients", "--rate", "--duration", "--fault-every", "--settle", "--seed", "default 6");
  }

  private static BenchOptions bench(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  private static ChaosOptions chaos(String... args) {
    ChaosCommand command = new ChaosCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  /** "status:" followed by everything printed; runs only parsing, usage and help paths. */
  private static String run(String... args) {
    StringWriter text = new StringWriter();
    CommandLine commandLine = LoadtestMain.commandLine();
    commandLine.setOut(new PrintWriter(text)).setErr(new PrintWriter(text));
    int status = commandLine.execute(args);
    return status + ":" + text;
  }
}
