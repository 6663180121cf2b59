package io.relay.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar loadtest/target/loadtest.jar chaos|bench [--option=value ...]}. */
@Command(name = "loadtest.jar",
    description = "Runs Relay as an operator would (separate processes, loopback only) and measures it.",
    subcommands = {ChaosCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    synopsisSubcommandLabel = "chaos | bench")
public final class LoadtestMain implements Runnable {

  @CommandLine.Mixin
  private HelpOption help;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true"); // the bench draws its chart into a file, never a window
    System.exit(commandLine().execute(args));
  }

  /** The parser with both commands: exit status 2 for a usage error, else the command's. */
  static CommandLine commandLine() {
    return new CommandLine(new LoadtestMain());
  }

  /** Without a command: the usage, and a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: chaos or bench");
  }
}
