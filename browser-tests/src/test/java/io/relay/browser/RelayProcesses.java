package io.relay.browser;

import static org.awaitility.Awaitility.await;

import io.relay.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ingest-service and push-service as real processes ({@code java -jar} of the shaded jars, in dev
 * mode) on free ports, so a test can kill the push-service and start it again on the same port.
 * Output goes to {@code target/logs/}.
 */
final class RelayProcesses implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path root = Path.of(System.getProperty("relay.root", "..")).toAbsolutePath().normalize();
  private final Path logs = Path.of(System.getProperty("relay.artifacts", "target"), "logs");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String redisUrl;
  final int ingestPort = freePort();
  final int pushPort = freePort();
  private final Process ingest;
  private Process push;
  private int pushStarts;

  RelayProcesses(String redisUrl) {
    this.redisUrl = redisUrl;
    ingest = start("ingest-service", Map.of("RELAY_INGEST_PORT", String.valueOf(ingestPort)), "ingest.log");
    push = startPush();
    awaitReady(ingestPort, ingest);
    awaitReady(pushPort, push);
  }

  String pageUrl() {
    return "http://127.0.0.1:" + pushPort + "/";
  }

  String ingestUrl() {
    return "http://127.0.0.1:" + ingestPort;
  }

  /** Kills the push-service at once (SIGKILL: no 1012, no cleanup) and waits until it is gone. */
  void killPush() throws InterruptedException {
    push.destroyForcibly();
    push.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the push-service again on its port and waits until it is ready. */
  void restartPush() {
    push = startPush();
    awaitReady(pushPort, push);
  }

  private Process startPush() {
    return start("push-service", Map.of(
        "RELAY_PUSH_PORT", String.valueOf(pushPort),
        "RELAY_HEARTBEAT_SEC", "5",
        "RELAY_DEMO_INGEST_URL", ingestUrl()), "push-" + (++pushStarts) + ".log");
  }

  private Process start(String service, Map<String, String> env, String logName) {
    Path jar = root.resolve(service).resolve("target").resolve(service + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build with mvn -pl browser-tests -am verify");
    }
    try {
      Files.createDirectories(logs);
      ProcessBuilder builder = new ProcessBuilder(ServiceProcess.javaCommand(jar))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(logName).toFile()));
      builder.environment().putAll(Map.of("REDIS_URL", redisUrl, "RELAY_DEV", "true", "RELAY_LOG_FORMAT", "text",
          "RELAY_WARMUP", "off"));
      builder.environment().putAll(env);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(int port, Process process) {
    await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("service on port " + port + " exited with " + process.exitValue() + ": see " + logs);
      }
      return isReady(port);
    });
  }

  private boolean isReady(int port) throws InterruptedException {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Process process : new Process[] {push, ingest}) {
      process.destroy();
    }
    for (Process process : new Process[] {push, ingest}) {
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
