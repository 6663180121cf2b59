package io.relay.loadtest;

import java.util.Arrays;

/** {@code java -jar loadtest/target/loadtest.jar chaos|bench [--option=value ...]}. */
public final class LoadtestMain {

  private LoadtestMain() {
  }

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    String[] options = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    int status = switch (command) {
      case "chaos" -> ChaosRun.run(ChaosOptions.parse(options), System.out).passed() ? 0 : 1;
      case "bench" -> Bench.run(BenchOptions.parse(options), System.out);
      default -> {
        System.out.println("usage: java -jar loadtest.jar chaos|bench [--option=value ...]\n\n"
            + ChaosOptions.HELP + "\n" + BenchOptions.HELP);
        yield command.equals("help") ? 0 : 2;
      }
    };
    System.exit(status);
  }
}
