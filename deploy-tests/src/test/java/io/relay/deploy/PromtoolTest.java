package io.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Prometheus's own checker on the alert rules and scrape config, where it is installed (Debian: prometheus). */
class PromtoolTest {

  @Test
  void acceptsTheAlertRules() throws Exception {
    assertThat(promtool("check", "rules", DeployFiles.path(ObservabilityFiles.ALERTS).toString()))
        .contains("SUCCESS: " + ObservabilityFiles.alertRules().size() + " rules found");
  }

  @Test
  void acceptsTheScrapeConfig() throws Exception {
    assertThat(promtool("check", "config", DeployFiles.path(ObservabilityFiles.SCRAPE_CONFIG).toString()))
        .contains("is valid prometheus config file syntax");
  }

  private static String promtool(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "promtool";
    System.arraycopy(args, 0, command, 1, args.length);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      String reason = "promtool not installed (apt-get install prometheus): alert rules not checked by it";
      System.out.println("SKIPPED: " + reason);
      assumeTrue(false, reason);
      throw e;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
