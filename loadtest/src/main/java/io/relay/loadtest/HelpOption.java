package io.relay.loadtest;

import picocli.CommandLine.Option;

/** {@code -h, --help} on every command (picocli's standard mixin would add a {@code --version} with nothing to say). */
final class HelpOption {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
