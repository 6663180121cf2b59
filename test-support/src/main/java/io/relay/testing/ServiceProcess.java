package io.relay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A Relay service running as its own JVM from its shaded jar, the way an operator runs it, so
 * tests can {@code kill -9} it or send it SIGTERM. Output goes to a log file in a temp dir.
 */
public final class ServiceProcess implements AutoCloseable {

  /** Which service, and the env var that carries its port. */
  public enum Kind {
    INGEST("ingest-service", "RELAY_INGEST_PORT"),
    PUSH("push-service", "RELAY_PUSH_PORT");

    final String module;
    final String portVariable;

    Kind(String module, String portVariable) {
      this.module = module;
      this.portVariable = portVariable;
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * A test's service lives for seconds: C1 alone compiles what it runs, for a fraction of the CPU
   * C2 would take on two cores (the test JVMs run alike: {@code test.jvm.flags} in the root pom).
   */
  private static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final Kind kind;
  private final Map<String, String> env;
  private final int port;
  private final Path log;
  private Process process;

  private ServiceProcess(Kind kind, Map<String, String> env, int port, Path log) {
    this.kind = kind;
    this.env = env;
    this.port = port;
    this.log = log;
  }

  /** Starts the service on a free port with {@code env} and waits until it is ready. */
  public static ServiceProcess start(Kind kind, Map<String, String> env) {
    try {
      Path log = Files.createTempFile("relay-" + kind.module + "-", ".log");
      ServiceProcess service = new ServiceProcess(kind, new HashMap<>(env), Ports.free(), log);
      service.launch();
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is cleaned up. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(10);
  }

  /** SIGTERM: the service shuts down gracefully; returns its exit code. */
  public int terminate() {
    process.destroy();
    return waitForExit(30);
  }

  /** Starts the same service again on the same port. */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException(kind.module + " still running");
    }
    launch();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitForExit(10);
    }
  }

  /** The command line that runs a service jar for a test, with this JVM's java and {@link #JVM_FLAGS}. */
  public static List<String> javaCommand(Path jar) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-jar", jar.toString()));
    return command;
  }

  private void launch() {
    ProcessBuilder builder = new ProcessBuilder(javaCommand(ServiceJars.of(kind.module)))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    builder.environment().put(kind.portVariable, Integer.toString(port));
    builder.environment().putIfAbsent("RELAY_LOG_FORMAT", "text");
    builder.environment().putIfAbsent("RELAY_WARMUP", "off"); // tests start many nodes; a warm one is not needed
    try {
      process = builder.start();
      ChildProcesses.stopOnExit(process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(this::ready);
  }

  private boolean ready() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(kind.module + " exited during startup:\n" + Files.readString(log));
    }
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int waitForExit(int seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
