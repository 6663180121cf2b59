package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The relay_redis_* gauges against a real redis-server: its state as the node sees it, and 0 when it is gone. */
@ExtendWith(VertxExtension.class)
class RedisStateGaugesIT {

  private RedisProcess server;
  private Redis redis;
  private RelayMetrics metrics;
  private RedisStateGauges gauges;

  @BeforeEach
  void start(Vertx vertx) {
    server = RedisProcess.start();
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_DEV", "true", "REDIS_URL", server.url(),
        "RELAY_REDIS_TIMEOUT_MS", "2000"));
    redis = RedisFactory.pooled(vertx, config);
    metrics = new RelayMetrics();
    gauges = new RedisStateGauges(redis, config.redisTimeoutMs(), metrics);
  }

  @AfterEach
  void stop() {
    redis.close();
    server.close();
  }

  @Test
  void unknownUntilTheFirstCheck() {
    assertThat(gauge("relay_redis_up")).isNaN();
    assertThat(gauge("relay_redis_aof_enabled")).isNaN();
  }

  @Test
  void reportsPersistenceAndMemoryThenChangesOfThem(VertxTestContext test) {
    gauges.refresh()
        .compose(v -> {
          test.verify(() -> {
            assertThat(gauge("relay_redis_up")).isEqualTo(1);
            assertThat(gauge("relay_redis_aof_enabled")).isEqualTo(1); // RedisProcess: appendonly yes, always
            assertThat(gauge("relay_redis_appendfsync_always")).isEqualTo(1);
            assertThat(gauge("relay_redis_memory_used_bytes")).isPositive();
            assertThat(gauge("relay_redis_memory_max_bytes")).isZero();
          });
          return redis.send(Request.cmd(Command.CONFIG).arg("SET").arg("appendfsync").arg("everysec"));
        })
        .compose(ok -> redis.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxmemory").arg("100mb")))
        .compose(ok -> gauges.refresh())
        .compose(v -> {
          test.verify(() -> {
            assertThat(gauge("relay_redis_appendfsync_always")).isZero();
            assertThat(gauge("relay_redis_memory_max_bytes")).isEqualTo(100 * 1024 * 1024);
          });
          return redis.send(Request.cmd(Command.CONFIG).arg("SET").arg("appendonly").arg("no"));
        })
        .compose(ok -> gauges.refresh())
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertThat(gauge("relay_redis_aof_enabled")).isZero();
          assertThat(gauge("relay_redis_appendfsync_always")).isZero();
          test.completeNow();
        })));
  }

  @Test
  void zeroWhenRedisDoesNotAnswer(VertxTestContext test) {
    server.kill();
    gauges.refresh()
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertThat(gauge("relay_redis_up")).isZero();
          test.completeNow();
        })));
  }

  private double gauge(String name) {
    return metrics.scrape().lines().filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1))).findFirst().orElseThrow();
  }
}
