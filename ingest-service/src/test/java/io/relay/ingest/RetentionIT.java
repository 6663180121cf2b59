package io.relay.ingest;

import static io.relay.ingest.IngestHarness.newUser;
import static io.relay.ingest.IngestHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention (docs/reliability.md): a log keeps at least {@code RELAY_RETENTION_COUNT} entries and every entry
 * younger than {@code RELAY_RETENTION_DAYS}, whichever is more, and remembers what it trimmed.
 */
class RetentionIT {

  static TestRedis server;
  static IngestHarness countOnly;
  static IngestHarness countAndDays;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    countOnly = IngestHarness.start(server, Map.of("RELAY_RETENTION_COUNT", "3", "RELAY_RETENTION_DAYS", "0"));
    countAndDays = IngestHarness.start(server, Map.of("RELAY_RETENTION_COUNT", "3", "RELAY_RETENTION_DAYS", "7"));
  }

  @AfterAll
  static void stop() {
    if (countOnly != null) {
      countOnly.close();
    }
    if (countAndDays != null) {
      countAndDays.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void logKeepsTheNewestCountEntriesAndMarksWhatItTrimmed() {
    String bob = newUser("bob");
    List<String> ids = new ArrayList<>(sendTo(countOnly, bob, 3));
    List<String> firstSeqs = seqsOf(bob);

    ids.addAll(sendTo(countOnly, bob, 3));

    Response entries = entriesOf(bob);
    assertThat(entries.size()).isEqualTo(3);
    List<String> kept = new ArrayList<>();
    for (Response entry : entries) {
      kept.add(new JsonObject(entry.get(1).get(1).toString()).getString("id"));
    }
    assertThat(kept).isEqualTo(ids.subList(3, 6));
    String trimmed = countOnly.redis(Request.cmd(Command.GET).arg(RedisKeys.trimmed(bob))).toString();
    assertThat(trimmed).isEqualTo(firstSeqs.get(2));
  }

  @Test
  void logThatNeverOverflowedHasNoTrimMarker() {
    String bob = newUser("bob");

    sendTo(countOnly, bob, 3);

    assertThat(countOnly.xlen(bob)).isEqualTo(3);
    assertThat(countOnly.exists(RedisKeys.trimmed(bob))).isFalse();
  }

  @Test
  void youngEntriesAreKeptBeyondTheCount() {
    String bob = newUser("bob");

    sendTo(countAndDays, bob, 6);

    assertThat(countAndDays.xlen(bob)).isEqualTo(6);
    assertThat(countAndDays.exists(RedisKeys.trimmed(bob))).isFalse();
  }

  @Test
  void expiredEntriesFarPastTheCountGoWithinSixteenAppends() {
    String bob = newUser("bob");
    // 40 entries stored long ago (stream ids in 1970): older than any age bound, 37 past the count.
    for (int i = 1; i <= 40; i++) {
      countAndDays.redis(Request.cmd(Command.XADD).arg(RedisKeys.log(bob)).arg("1000-" + i)
          .arg("m").arg(new JsonObject().put("type", "message").put("body", "old " + i).encode()));
    }

    List<String> young = sendTo(countAndDays, bob, 16);

    Response entries = countAndDays.redis(Request.cmd(Command.XRANGE).arg(RedisKeys.log(bob)).arg("-").arg("+"));
    List<String> kept = new ArrayList<>();
    for (Response entry : entries) {
      kept.add(new JsonObject(entry.get(1).get(1).toString()).getString("id"));
    }
    assertThat(kept).as("the expired entries are gone, every young one is kept").isEqualTo(young);
    assertThat(countAndDays.redis(Request.cmd(Command.GET).arg(RedisKeys.trimmed(bob))).toString())
        .isEqualTo("1000-40");
  }

  @Test
  void senderLogIsTrimmedToo() {
    String alice = newUser("alice");
    String token = countOnly.token(alice);

    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> response = countOnly.sendAs(token, text(newUser("bob"), "m" + i));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    }

    assertThat(countOnly.xlen(alice)).isEqualTo(3);
    assertThat(countOnly.exists(RedisKeys.trimmed(alice))).isTrue();
  }

  /** Sends {@code count} backend messages to {@code to}, one after the other; their ids. */
  private static List<String> sendTo(IngestHarness relay, String to, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<Buffer> response = relay.sendAsBackend(text(to, "m" + i));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      ids.add(response.bodyAsJsonObject().getString("id"));
    }
    return ids;
  }

  private static Response entriesOf(String uid) {
    return countOnly.redis(Request.cmd(Command.XRANGE).arg(RedisKeys.log(uid)).arg("-").arg("+"));
  }

  private static List<String> seqsOf(String uid) {
    List<String> seqs = new ArrayList<>();
    entriesOf(uid).forEach(entry -> seqs.add(entry.get(0).toString()));
    return seqs;
  }
}
