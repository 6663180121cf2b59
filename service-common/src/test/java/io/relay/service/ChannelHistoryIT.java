package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.relay.model.ChannelEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ChannelHistory} against a real Redis holding channel histories as the publish script writes them. */
class ChannelHistoryIT {

  static TestRedis server;
  static Vertx vertx;
  static Redis redis;
  static ChannelHistory history;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, server.url());
    history = new ChannelHistory(new RedisGateway(redis, 5000, new SimpleMeterRegistry().counter("errors")));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      await(vertx.close());
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anEmptyChannelHasNoNewestOffsetAndRecoversOnlyFromTheStart() {
    String channel = newChannel();
    assertThat(await(history.newest(channel))).isNull();
    assertThat(await(history.after(channel, Seq.ZERO, 100))).isEmpty();
    assertThat(await(history.recovers(channel, Seq.ZERO))).isTrue();
    assertThat(await(history.recovers(channel, Seq.parse("10-0")))).as("history gone").isFalse();
  }

  @Test
  void pagesAfterAnOffsetInOrderAsFramesWithTheOffsetFirst() {
    String channel = newChannel();
    Seq first = append(channel, "m1", 3);
    Seq second = append(channel, "m2", 3);
    Seq third = append(channel, "m3", 3);

    List<ChannelEntry> all = await(history.after(channel, Seq.ZERO, 100));
    assertThat(all).extracting(ChannelEntry::offset).containsExactly(first, second, third);
    assertThat(all.get(0).frame()).isEqualTo(
        "{\"offset\":\"" + first + "\",\"type\":\"message\",\"channel\":\"" + channel + "\",\"id\":\"m1\"}");
    assertThat(await(history.after(channel, first, 1))).extracting(ChannelEntry::offset).containsExactly(second);
    assertThat(await(history.after(channel, third, 100))).isEmpty();
    assertThat(await(history.newest(channel))).isEqualTo(third);
    assertThat(await(history.recovers(channel, first))).isTrue();
  }

  @Test
  void aSinceBeforeTrimmedEntriesDoesNotRecover() {
    String channel = newChannel();
    Seq first = append(channel, "m1", 2);
    Seq second = append(channel, "m2", 2);
    append(channel, "m3", 2);

    assertThat(await(history.after(channel, Seq.ZERO, 100))).hasSize(2);
    assertThat(await(history.recovers(channel, Seq.ZERO))).isFalse();
    assertThat(await(history.recovers(channel, Seq.parse("1-0")))).isFalse();
    assertThat(await(history.recovers(channel, first))).as("since on the trimmed entry").isTrue();
    assertThat(await(history.recovers(channel, second))).isTrue();
  }

  /** Appends as the publish script does: marks the entry trimming removes, then XADD with an exact bound. */
  private static Seq append(String channel, String id, int bound) {
    String key = RedisKeys.channelHistory(channel);
    long length = await(redis.send(Request.cmd(Command.XLEN).arg(key))).toLong();
    if (length >= bound) {
      String removed = await(redis.send(Request.cmd(Command.XRANGE).arg(key).arg("-").arg("+").arg("COUNT").arg(1)))
          .get(0).get(0).toString();
      await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.channelTrimmed(channel)).arg(removed)));
    }
    String json = "{\"type\":\"message\",\"channel\":\"" + channel + "\",\"id\":\"" + id + "\"}";
    return Seq.parse(await(redis.send(Request.cmd(Command.XADD).arg(key).arg("MAXLEN").arg("=").arg(bound)
        .arg("*").arg("m").arg(json).arg("i").arg(id))).toString());
  }

  private static String newChannel() {
    return "test:" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(15, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 15 s", e);
    }
  }
}
