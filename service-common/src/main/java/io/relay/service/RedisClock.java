package io.relay.service;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's estimate of Redis's clock ({@code TIME}), so a deadline the storing scripts compare
 * with Redis's clock means the same on every node whatever the skew between the node's clock and
 * Redis's. The offset is measured with one {@code TIME} call (Redis's time minus the midpoint of
 * the call as the node saw it, so its error is at most half the round trip) and measured again
 * periodically; a sample whose round trip took longer than {@code maxRoundTripMs} is ignored.
 * One clock serves every event loop of a process; one of them keeps it synced ({@link #claimSyncing}).
 */
public final class RedisClock {

  private static final Logger LOG = LoggerFactory.getLogger(RedisClock.class);
  /** Offsets bigger than this are worth a line in the log: the clocks disagree. */
  private static final long SKEW_WARNING_MS = 1000;

  private final LongSupplier nodeClock;
  private final long maxRoundTripMs;
  private final AtomicBoolean synced = new AtomicBoolean();
  private volatile long offsetMs;

  /**
   * @param nodeClock      this node's clock in Unix ms (tests pass a skewed one)
   * @param maxRoundTripMs a sample whose TIME call took longer is too imprecise and ignored
   */
  public RedisClock(LongSupplier nodeClock, long maxRoundTripMs) {
    this.nodeClock = nodeClock;
    this.maxRoundTripMs = maxRoundTripMs;
  }

  /** Redis's clock now, as far as this node can tell (Unix ms). */
  public long now() {
    return nodeClock.getAsLong() + offsetMs;
  }

  /** Redis's clock minus this node's, as last measured (0 before the first measurement). */
  public long offsetMs() {
    return offsetMs;
  }

  /** True the first time only: whoever gets it runs the periodic sync for everyone using this clock. */
  public boolean claimSyncing() {
    return synced.compareAndSet(false, true);
  }

  /** Measures the offset once; never fails (a failed or slow sample keeps the previous offset). */
  public Future<Void> sync(Redis redis) {
    long sent = nodeClock.getAsLong();
    return redis.send(Request.cmd(Command.TIME))
        .timeout(Math.max(1, maxRoundTripMs), TimeUnit.MILLISECONDS)
        .map(reply -> {
          record(sent, nodeClock.getAsLong(), redisMillis(reply));
          return (Void) null;
        })
        .otherwise(e -> null);
  }

  void record(long sent, long received, long redisMs) {
    if (received - sent > maxRoundTripMs) {
      return;
    }
    long offset = redisMs - (sent + received) / 2;
    if (Math.abs(offset) > SKEW_WARNING_MS && Math.abs(offset - offsetMs) > SKEW_WARNING_MS) {
      LOG.warn("Redis's clock is {} ms {} this node's; store deadlines allow for it, but check NTP",
          Math.abs(offset), offset > 0 ? "ahead of" : "behind");
    }
    offsetMs = offset;
  }

  private static long redisMillis(Response time) {
    return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
  }
}
