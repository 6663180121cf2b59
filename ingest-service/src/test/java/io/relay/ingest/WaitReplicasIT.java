package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.RedisProcess;
import io.relay.testing.RespCommand;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code RELAY_REDIS_WAIT_REPLICAS=1} on one Redis primary with one replica: a send is answered
 * 201 once the replica has it, 503 while the replica is gone (the retry with the same clientMsgId
 * then answers 200 duplicate: the primary had stored it).
 */
class WaitReplicasIT {

  private static RedisProcess primary;
  private static RedisProcess replica;
  private static IngestHarness harness;

  @BeforeAll
  static void start() {
    primary = RedisProcess.start();
    replica = RedisProcess.start(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
    awaitReplicaOnline();
    harness = IngestHarness.start(primary, Map.of("RELAY_REDIS_WAIT_REPLICAS", "1", "RELAY_REDIS_TIMEOUT_MS", "2000"));
  }

  @AfterAll
  static void stop() {
    harness.close();
    replica.close();
    primary.close();
  }

  private static void awaitReplicaOnline() {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> RespCommand.text(primary.port(), "INFO", "replication").contains("connected_slaves:1")
            && RespCommand.text(replica.port(), "INFO", "replication").contains("master_link_status:up"));
  }

  @Test
  void aSendWaitsForTheReplica() {
    String alice = IngestHarness.newUser("alice");
    String bob = IngestHarness.newUser("bob");
    String aliceToken = harness.token(alice);

    HttpResponse<Buffer> confirmed = harness.sendAs(aliceToken, IngestHarness.text(bob, "on two servers")
        .put("clientMsgId", "w-1"));
    assertThat(confirmed.statusCode()).as(confirmed.bodyAsString()).isEqualTo(201);
    assertThat(RespCommand.send(replica.port(), "XLEN", RedisKeys.log(bob))).isEqualTo(1L);

    replica.kill();
    HttpResponse<Buffer> unconfirmed = harness.sendAs(aliceToken, IngestHarness.text(bob, "on one server")
        .put("clientMsgId", "w-2"));
    IngestHarness.assertError(unconfirmed, 503, "unavailable");
    assertThat(unconfirmed.bodyAsJsonObject().getJsonObject("error").getString("clientMsgId")).isEqualTo("w-2");

    replica.restart();
    awaitReplicaOnline();
    HttpResponse<Buffer> retried = harness.sendAs(aliceToken, IngestHarness.text(bob, "on one server")
        .put("clientMsgId", "w-2"));
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    assertThat(harness.xlen(bob)).isEqualTo(2);
  }
}
