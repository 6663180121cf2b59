package io.relay.push.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.relay.model.RedisKeys;
import io.relay.model.ErrorCode;
import io.relay.model.Seq;
import io.relay.push.store.Bindings;
import io.relay.push.store.Unbinds;
import io.relay.service.ApiError;
import io.relay.service.RedisGateway;
import io.relay.testing.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A connection's binding as a lease on room delivery, against a real redis-server. */
class BindingLeaseIT {

  static final long TTL = 60_000;

  static RedisProcess server;
  static Vertx vertx;
  static RedisGateway redis;

  @BeforeAll
  static void start() {
    server = RedisProcess.start();
    vertx = Vertx.vertx();
    redis = new RedisGateway(Redis.createClient(vertx, server.url()), 5000,
        Counter.builder("errors").register(new SimpleMeterRegistry()));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  private final AtomicLong clock = new AtomicLong(1_000_000);

  private BindingLease lease(Bindings bindings, String uid) {
    return lease(bindings, uid, "c1");
  }

  private BindingLease lease(Bindings bindings, String uid, String connectionId) {
    return new BindingLease(bindings, new Unbinds(vertx, bindings, clock::get), uid, connectionId, "ws", clock::get);
  }

  private long setSize(String uid) {
    return redis.send(Request.cmd(Command.SCARD).arg(RedisKeys.bindings(uid))).await().toLong();
  }

  @Test
  void aBindBeyondTheLimitIsRefusedWithoutWritingAndAnExpiredBindingNoLongerCounts() {
    Bindings bindings = new Bindings(redis, "push-a", TTL);
    lease(bindings, "dan", "c1").bind(2).await();
    lease(bindings, "dan", "c2").bind(2).await();

    BindingLease third = lease(bindings, "dan", "c3");
    assertThatThrownBy(() -> third.bind(2).await()).isInstanceOfSatisfying(ApiError.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(e.retryAfterSec()).isPositive();
    });
    assertThat(redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.binding("dan", "c3"))).await().toInteger())
        .isZero();
    assertThat(setSize("dan")).isEqualTo(2);
    third.release().await(); // refused: nothing to remove, and no error

    redis.send(Request.cmd(Command.DEL).arg(RedisKeys.binding("dan", "c1"))).await(); // its unbind never landed
    lease(bindings, "dan", "c4").bind(2).await();
    assertThat(setSize("dan")).as("c1 dropped from the set, c4 added").isEqualTo(2);
    assertThat(redis.send(Request.cmd(Command.SISMEMBER).arg(RedisKeys.bindings("dan")).arg("c1")).await()
        .toInteger()).isZero();
    assertThat(lease(bindings, "dan", "c5").bind(0).await()).as("a rebind ignores the limit").isNull();
  }

  @Test
  void coversUntilTheBindingCouldHaveExpiredAndARefreshThatFindsItExtendsThat() {
    BindingLease lease = lease(new Bindings(redis, "push-a", TTL), "amy");
    assertThat(lease.covers(clock.get())).as("nothing bound yet").isFalse();

    lease.bind(0).await();
    assertThat(lease.covers(clock.get() + TTL / 2)).isTrue();
    assertThat(lease.covers(clock.get() + TTL)).isFalse();

    clock.addAndGet(TTL / 2);
    assertThat(lease.renew().await()).as("still bound: nothing missed").isFalse();
    assertThat(lease.covers(clock.get() + TTL / 2)).isTrue();
  }

  @Test
  void aRenewalThatFindsTheBindingGoneBindsAgainAndSaysSo() {
    Bindings bindings = new Bindings(redis, "push-a", TTL);
    BindingLease lease = lease(bindings, "bea");
    lease.bind(0).await();
    redis.send(Request.cmd(Command.DEL).arg(RedisKeys.binding("bea", "c1"))).await(); // expired meanwhile

    assertThat(lease.renew().await()).as("room entries may have gone elsewhere").isTrue();
    assertThat(redis.send(Request.cmd(Command.GET).arg(RedisKeys.binding("bea", "c1"))).await()).isNotNull();
    assertThat(redis.send(Request.cmd(Command.SISMEMBER).arg(RedisKeys.bindings("bea")).arg("c1")).await()
        .toInteger()).isEqualTo(1);

    redis.send(Request.cmd(Command.DEL).arg(RedisKeys.bindings("bea"))).await(); // the set expired instead
    assertThat(lease.renew().await()).isTrue();
    assertThat(redis.send(Request.cmd(Command.SISMEMBER).arg(RedisKeys.bindings("bea")).arg("c1")).await()
        .toInteger()).isEqualTo(1);
  }

  @Test
  void theAdmittingBindReadsTheDevicesCursorInTheSameRoundTrip() {
    Bindings bindings = new Bindings(redis, "push-a", TTL);
    BindingLease fresh = lease(bindings, "eve", "c1");
    fresh.bind(2, "phone").await();
    assertThat(fresh.cursor()).as("the device never acked").isEqualTo(Seq.ZERO);

    redis.send(Request.cmd(Command.HSET).arg(RedisKeys.cursors("eve")).arg("phone").arg("1700000000000-3")).await();
    BindingLease resuming = lease(bindings, "eve", "c2");
    resuming.bind(2, "phone").await();
    assertThat(resuming.cursor()).isEqualTo(Seq.parse("1700000000000-3"));

    BindingLease withSince = lease(bindings, "eve", "c3");
    withSince.bind(0).await();
    assertThat(withSince.cursor()).as("not asked for").isNull();

    BindingLease refused = lease(bindings, "eve", "c4");
    assertThatThrownBy(() -> refused.bind(2, "phone").await()).isInstanceOf(ApiError.class);
    assertThat(refused.cursor()).isNull();
  }

  @Test
  void releaseRemovesTheBinding() {
    BindingLease lease = lease(new Bindings(redis, "push-a", TTL), "cal");
    lease.bind(0).await();

    lease.release().await();

    assertThat(redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.binding("cal", "c1"))).await().toInteger())
        .isZero();
    assertThat(redis.send(Request.cmd(Command.SCARD).arg(RedisKeys.bindings("cal"))).await().toInteger()).isZero();
  }
}
