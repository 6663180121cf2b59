package io.relay.e2e;

import java.io.File;
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
import org.awaitility.Awaitility;

/**
 * A push-service started from its jar as a separate process, so a test can {@code kill -9} it
 * like a crashed node. Needs {@code push-service/target/push-service.jar} (built by the reactor's
 * package phase, or {@code mvn -o -q -B package -DskipTests -pl push-service -am}).
 */
final class PushProcess implements AutoCloseable {

  static final Path JAR = Path.of("..", "push-service", "target", "push-service.jar");

  private final Process process;
  final int port;

  private PushProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static PushProcess start(Map<String, String> env) {
    if (!Files.exists(JAR)) {
      throw new AssertionError(JAR.toAbsolutePath() + " is missing: run mvn -o -q -B package -DskipTests -pl push-service -am");
    }
    int port = freePort();
    ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", JAR.toString())
        .redirectErrorStream(true)
        .redirectOutput(new File("target", "push-process-" + port + ".log"));
    builder.environment().putAll(env);
    builder.environment().put("RELAY_PUSH_PORT", Integer.toString(port));
    builder.environment().put("RELAY_LOG_FORMAT", "text");
    try {
      PushProcess started = new PushProcess(builder.start(), port);
      Awaitility.await().alias("push process listening").atMost(Duration.ofSeconds(30)).until(started::isLive);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean isLive() {
    if (!process.isAlive()) {
      throw new AssertionError("push process exited with " + process.exitValue());
    }
    try {
      HttpResponse<Void> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL: no shutdown hook runs, so the node's bindings stay in Redis until they expire. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
    if (process.isAlive()) {
      kill();
    }
  }
}
