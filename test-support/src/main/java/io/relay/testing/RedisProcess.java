package io.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A {@code redis-server} process this test started: free port, temp data dir, AOF with
 * {@code appendfsync always}, so a {@link #kill()} loses nothing that was acknowledged.
 * The binary is {@code RELAY_REDIS_SERVER} when set, else {@code redis-server} from PATH.
 */
public final class RedisProcess implements TestRedis {

  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts a new server and waits until it answers PING. */
  public static RedisProcess start() {
    return start(List.of());
  }

  /**
   * Starts a new server with more command-line settings after the usual ones (a later setting
   * wins), e.g. {@code List.of("--client-output-buffer-limit", "pubsub 1mb 1mb 0")}.
   */
  public static RedisProcess start(List<String> extraArgs) {
    try {
      RedisProcess redis = new RedisProcess(Ports.free(), Files.createTempDirectory("relay-redis-"), extraArgs);
      redis.launch();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The process id, for tests that signal it themselves. */
  public long pid() {
    return process.pid();
  }

  /** True while the server process runs. */
  public synchronized boolean isRunning() {
    return process.isAlive();
  }

  @Override
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public synchronized void kill() {
    process.destroyForcibly();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
  }

  @Override
  public synchronized void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("redis-server still running: kill() it first");
    }
    launch();
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteDir();
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(binary(),
        "--port", Integer.toString(port),
        "--bind", "127.0.0.1",
        "--dir", dir.toString(),
        "--appendonly", "yes",
        "--appendfsync", "always",
        "--save", "",
        "--logfile", dir.resolve("redis.log").toString()));
    command.addAll(extraArgs);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile()).start();
      ChildProcesses.stopOnExit(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0)
          + " (install redis-server or set RELAY_REDIS_SERVER)", e);
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(this::answersPing);
  }

  private boolean answersPing() {
    if (!process.isAlive()) {
      throw new IllegalStateException("redis-server exited: see " + dir.resolve("redis.log"));
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int read = in.readNBytes(reply, 0, reply.length);
      return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** True when the binary {@link #start()} would run exists: {@code RELAY_REDIS_SERVER}, or on PATH. */
  static boolean binaryAvailable() {
    String binary = binary();
    if (binary.contains(java.io.File.separator)) {
      return Files.isExecutable(Path.of(binary));
    }
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, binary)));
  }

  private static String binary() {
    String configured = System.getenv("RELAY_REDIS_SERVER");
    return configured == null || configured.isBlank() ? "redis-server" : configured;
  }

  private void deleteDir() {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temp dir left behind is harmless.
    }
  }
}
