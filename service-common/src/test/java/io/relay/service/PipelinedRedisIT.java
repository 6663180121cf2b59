package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every command on one connection, and a new one once it is lost or dropped. */
@ExtendWith(VertxExtension.class)
class PipelinedRedisIT {

  private RedisProcess server;
  private Redis pool;
  private Redis admin;
  private PipelinedRedis redis;

  @BeforeEach
  void start(Vertx vertx) {
    server = RedisProcess.start();
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_DEV", "true", "REDIS_URL", server.url(),
        "RELAY_REDIS_TIMEOUT_MS", "2000"));
    pool = RedisFactory.pooled(vertx, config);
    admin = RedisFactory.pooled(vertx, config);
    redis = (PipelinedRedis) RedisGateway.oneServerClient(pool, 0);
  }

  @AfterEach
  void stop() {
    redis.close();
    admin.close();
    server.close();
  }

  @Test
  void manyCommandsAtOnceShareOneConnection(VertxTestContext test) {
    List<Future<Response>> ids = IntStream.range(0, 200).mapToObj(i -> redis.send(Request.cmd(Command.CLIENT).arg("ID"))).toList();
    Future.all(ids)
        .compose(all -> redis.batch(List.of(Request.cmd(Command.CLIENT).arg("ID"), Request.cmd(Command.PING))))
        .onComplete(test.succeeding(batch -> test.verify(() -> {
          assertThat(ids.stream().map(f -> f.result().toLong()).distinct()).hasSize(1);
          assertThat(batch.get(0).toLong()).isEqualTo(ids.get(0).result().toLong());
          test.completeNow();
        })));
  }

  @Test
  void aKilledConnectionIsReplacedByTheNextCommand(VertxTestContext test) {
    redis.send(Request.cmd(Command.CLIENT).arg("ID"))
        .compose(first -> admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(first.toString()))
            .compose(killed -> sendUntilAnswered(5))
            .onComplete(test.succeeding(second -> test.verify(() -> {
              assertThat(second.toLong()).isNotEqualTo(first.toLong());
              test.completeNow();
            }))));
  }

  @Test
  void reconnectMovesLaterCommandsToANewConnection(VertxTestContext test) {
    redis.send(Request.cmd(Command.CLIENT).arg("ID"))
        .compose(first -> {
          redis.reconnect();
          return redis.send(Request.cmd(Command.CLIENT).arg("ID"))
              .onComplete(test.succeeding(second -> test.verify(() -> {
                assertThat(second.toLong()).isNotEqualTo(first.toLong());
                test.completeNow();
              })));
        });
  }

  @Test
  void aConnectionThatStoppedAnsweringIsReplacedAfterATimeoutOneThatAnswersIsKept(VertxTestContext test) {
    redis.send(Request.cmd(Command.CLIENT).arg("ID"))
        .compose(first -> {
          redis.reconnectIfSilentFor(60_000); // it answered just now: kept
          return redis.send(Request.cmd(Command.CLIENT).arg("ID")).map(same -> {
            test.verify(() -> assertThat(same.toLong()).isEqualTo(first.toLong()));
            return first;
          });
        })
        .compose(first -> {
          redis.send(Request.cmd(Command.BLPOP).arg("never-pushed").arg("0")); // nothing behind it is answered
          return redis.send(Request.cmd(Command.PING)).timeout(300, TimeUnit.MILLISECONDS)
              .transform(timedOut -> {
                test.verify(() -> assertThat(timedOut.failed()).isTrue());
                redis.reconnectIfSilentFor(200);
                return redis.send(Request.cmd(Command.CLIENT).arg("ID"));
              })
              .onComplete(test.succeeding(second -> test.verify(() -> {
                assertThat(second.toLong()).isNotEqualTo(first.toLong());
                test.completeNow();
              })));
        });
  }

  /** A command sent while the kill is still being noticed may fail once; the next goes through. */
  private Future<Response> sendUntilAnswered(int tries) {
    return redis.send(Request.cmd(Command.CLIENT).arg("ID"))
        .recover(e -> tries > 1 ? sendUntilAnswered(tries - 1) : Future.failedFuture(e));
  }
}
