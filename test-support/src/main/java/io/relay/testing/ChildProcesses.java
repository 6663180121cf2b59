package io.relay.testing;

/**
 * Makes sure a server a test started does not outlive the test JVM, even when the JVM is ended
 * before its {@code @AfterAll} runs (a timeout, Ctrl-C).
 */
final class ChildProcesses {

  private ChildProcesses() {
  }

  static void stopOnExit(Process process) {
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-pid-" + process.pid()));
  }
}
