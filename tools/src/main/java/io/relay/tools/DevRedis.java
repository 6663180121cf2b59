package io.relay.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import redis.embedded.RedisServer;

/**
 * Runs the redis-server 6.2 binary shipped in {@code com.github.codemonstur:embedded-redis} with
 * the durability of the shipped {@code deploy/redis.conf} (AOF, fsync on every write), bound to
 * 127.0.0.1, until the JVM is told to stop (SIGTERM, Ctrl-C).
 *
 * <p>Usage: {@code java -cp tools/target/tools.jar io.relay.tools.DevRedis <port> <dataDir>}.
 * For local development only: there is no password, and it is the run script's last resort.
 */
public final class DevRedis {

  private DevRedis() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: DevRedis <port> <dataDir>");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path dataDir = Files.createDirectories(Path.of(args[1])).toAbsolutePath();

    RedisServer redis = RedisServer.newRedisServer()
        .bind("127.0.0.1")
        .port(port)
        .setting("appendonly yes")
        .setting("appendfsync always")
        .setting("save \"\"")
        .setting("maxmemory-policy noeviction")
        .setting("dir \"" + dataDir + "\"")
        .soutListener(System.out::println)
        .serrListener(System.err::println)
        .build();
    redis.start();
    System.out.printf("DevRedis: redis-server listening on 127.0.0.1:%d, AOF in %s%n", port, dataDir);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop(redis);
      stopped.countDown();
    }, "dev-redis-stop"));
    stopped.await();
  }

  private static void stop(RedisServer redis) {
    try {
      redis.stop();
      System.out.println("DevRedis: redis-server stopped");
    } catch (IOException e) {
      System.err.println("DevRedis: could not stop redis-server: " + e.getMessage());
    }
  }
}
