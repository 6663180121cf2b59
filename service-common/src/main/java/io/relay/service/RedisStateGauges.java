package io.relay.service;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Redis as this node sees it, refreshed before every scrape of {@code /metrics}: whether it answers,
 * whether it persists (AOF, {@code appendfsync always}), and its memory against {@code maxmemory}.
 * These feed the "Redis down", "persistence off" and "memory near maxmemory" alerts without a
 * separate Redis exporter. A value not known (Redis never answered, CONFIG forbidden) is NaN.
 * Uses {@code INFO} one section at a time and {@code CONFIG GET}, which Redis 6.2 has.
 */
final class RedisStateGauges {

  private final Redis redis;
  private final long timeoutMs;
  private final State state;

  RedisStateGauges(Redis redis, long timeoutMs, RelayMetrics metrics) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
    this.state = metrics.processPart(State.class, State::new);
  }

  /**
   * The values the gauges read: one set per process, registered once, written by whichever event
   * loop's instance answers the scrape.
   */
  static final class State {
    private volatile double up = Double.NaN;
    private volatile double aofEnabled = Double.NaN;
    private volatile double fsyncAlways = Double.NaN;
    private volatile double usedMemory = Double.NaN;
    private volatile double maxMemory = Double.NaN;

    State(RelayMetrics metrics) {
      metrics.gauge("relay.redis.up", "1 when Redis answered this node's last check, 0 when it did not", () -> up);
      metrics.gauge("relay.redis.aof.enabled", "1 when Redis runs with appendonly yes, 0 when persistence is off",
          () -> aofEnabled);
      metrics.gauge("relay.redis.appendfsync.always",
          "1 when Redis fsyncs the AOF on every write (appendfsync always), 0 for everysec/no", () -> fsyncAlways);
      metrics.bytesGauge("relay.redis.memory.used", "Redis used_memory", () -> usedMemory);
      metrics.bytesGauge("relay.redis.memory.max", "Redis maxmemory (0 = no limit)", () -> maxMemory);
    }
  }

  /** Asks Redis for its state; never fails (a Redis that does not answer sets {@code up} to 0). */
  Future<Void> refresh() {
    Future<List<Response>> info = redis.batch(List.of(
        Request.cmd(Command.INFO).arg("persistence"), Request.cmd(Command.INFO).arg("memory")));
    return info.timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .compose(sections -> {
          state.up = 1;
          String persistence = sections.get(0).toString();
          state.aofEnabled = field(persistence, "aof_enabled");
          String memory = sections.get(1).toString();
          state.usedMemory = field(memory, "used_memory");
          state.maxMemory = field(memory, "maxmemory");
          return state.aofEnabled == 1 ? fsyncMode() : Future.succeededFuture(state.aofEnabled == 0 ? 0.0 : Double.NaN);
        })
        .<Void>map(fsync -> {
          state.fsyncAlways = fsync;
          return null;
        })
        .otherwise(e -> {
          state.up = 0;
          return null;
        });
  }

  /** 1 for {@code appendfsync always}, 0 otherwise; NaN where CONFIG is forbidden (managed Redis). */
  private Future<Double> fsyncMode() {
    return redis.send(Request.cmd(Command.CONFIG).arg("GET").arg("appendfsync"))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(config -> "always".equals(PersistenceCheck.appendfsync(config)) ? 1.0 : 0.0)
        .otherwise(Double.NaN);
  }

  /** The numeric value of {@code name:value} in an INFO section; NaN when absent. */
  static double field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        try {
          return Double.parseDouble(line.substring(name.length() + 1).trim());
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
      }
    }
    return Double.NaN;
  }
}
