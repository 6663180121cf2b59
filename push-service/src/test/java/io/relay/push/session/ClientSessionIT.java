package io.relay.push.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.CloseCode;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.push.PushConfig;
import io.relay.push.live.LiveSubscriber;
import io.relay.push.store.Bindings;
import io.relay.push.store.Unbinds;
import io.relay.push.store.Cursors;
import io.relay.push.store.Receipts;
import io.relay.push.store.Typing;
import io.relay.service.Identity;
import io.relay.service.LogReader;
import io.relay.service.LogWriter;
import io.relay.service.ReadMarkers;
import io.relay.service.RedisFactory;
import io.relay.service.RedisGateway;
import io.relay.service.RelayMetrics;
import io.relay.testing.RedisProcess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A session's life against a real redis-server, with a transport that records frames: set-up,
 * replay, and a release that gives back the registry entry, the subscription reference and the
 * binding exactly once, including when the subscription is never armed.
 */
@ExtendWith(VertxExtension.class)
class ClientSessionIT {

  static RedisProcess server;

  @BeforeAll
  static void start() {
    server = RedisProcess.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A transport that keeps what it is sent, and reports its close to the session like a socket does. */
  private static final class RecordingTransport implements Transport {
    final List<String> frames = new ArrayList<>();
    CloseCode closedWith;

    @Override
    public String name() {
      return "ws";
    }

    @Override
    public boolean send(String frame) {
      frames.add(frame);
      return true;
    }

    @Override
    public Future<Void> writable() {
      return Future.succeededFuture();
    }

    @Override
    public void heartbeat() {
    }

    @Override
    public boolean expectsLiveness() {
      return false;
    }

    @Override
    public void close(CloseCode code) {
      closedWith = code;
    }
  }

  /** A short Redis timeout, so a never-armed subscription fails soon, yet long enough for binds on a loaded machine. */
  private static PushConfig config() {
    return PushConfig.fromEnv(Map.of("REDIS_URL", server.url(), "RELAY_DEV", "true", "RELAY_NODE_ID", "push-test",
        "RELAY_REDIS_TIMEOUT_MS", "1000"));
  }

  private RedisGateway redis;

  private SessionServices services(Vertx vertx, LiveSubscriber subscriber) {
    PushConfig config = config();
    RelayMetrics metrics = new RelayMetrics();
    redis = RedisGateway.create(vertx, config.shared(), metrics);
    Bindings bindings = new Bindings(redis, "push-test", config.livenessMillis());
    return new SessionServices(vertx, config, new ConnectionRegistry(), subscriber,
        bindings, new Unbinds(vertx, bindings, System::currentTimeMillis), new Cursors(redis, 86_400_000L),
        new LogReader(redis), new Receipts(redis, new LogWriter(redis, config.shared()), new ReadMarkers(redis, config.shared())),
        new Typing(redis), metrics, new SetupGate(config.setupConcurrency(), config.setupQueue()),
        new TickWheel(vertx, Math.max(50, config.heartbeatMillis() / 4)));
  }

  /** A lease whose bind has been sent, as the endpoints hand it to a session. */
  private static BindingLease admitted(SessionServices services, String uid) {
    BindingLease lease = services.lease(uid, "ws");
    lease.bind(0);
    return lease;
  }

  private static LiveSubscriber subscriber(Vertx vertx) {
    return new LiveSubscriber(vertx, RedisFactory.options(config().shared()), new LiveSubscriber.Listener() {
          @Override
          public void onMessage(String channel, String payload) {
          }

          @Override
          public void onDropped() {
          }

          @Override
          public void onResubscribed() {
          }
        }, 5_000);
  }

  @Test
  void opensWithHelloAndReplayThenReleasesEverythingOnce(Vertx vertx, VertxTestContext test) {
    String uid = "ann-" + System.nanoTime();
    Context loop = vertx.getOrCreateContext();
    loop.runOnContext(v -> {
      LiveSubscriber subscriber = subscriber(vertx);
      SessionServices services = services(vertx, subscriber);
      RecordingTransport transport = new RecordingTransport();
      ClientSession session = new ClientSession(services, new Identity(uid, System.currentTimeMillis() + 60_000),
          "phone", transport, admitted(services, uid));
      subscriber.start(List.of())
          .compose(started -> append(uid, "one"))
          .compose(stored -> append(uid, "two"))
          .compose(stored -> session.open(Seq.ZERO))
          .compose(opened -> {
            test.verify(() -> {
              assertThat(transport.frames).hasSize(3);
              assertThat(transport.frames.get(0)).contains("\"type\":\"hello\"");
              assertThat(transport.frames.get(2)).contains("\"id\":\"two\"");
              assertThat(services.registry().size()).isEqualTo(1);
              assertThat(subscriber.subscriptions()).isEqualTo(1);
            });
            return exists(RedisKeys.binding(uid, session.connectionId()));
          })
          .compose(bound -> {
            test.verify(() -> assertThat(bound).isTrue());
            return Future.join(session.close(CloseCode.SHUTTING_DOWN), session.close(CloseCode.TOO_SLOW));
          })
          .compose(closed -> exists(RedisKeys.binding(uid, session.connectionId())))
          .onComplete(test.succeeding(bound -> test.verify(() -> {
            assertThat(bound).isFalse();
            assertThat(transport.closedWith).isEqualTo(CloseCode.SHUTTING_DOWN);
            assertThat(services.registry().size()).isZero();
            assertThat(subscriber.subscriptions()).isZero();
            subscriber.stop();
            test.completeNow();
          })));
    });
  }

  /** Issue 11: the arming timeout fires on the event loop, and the release leaves exact counts. */
  @Test
  void withoutSinceItResumesFromTheCursorTheAdmittingBindRead(Vertx vertx, VertxTestContext test) {
    String uid = "eve-" + System.nanoTime();
    vertx.getOrCreateContext().runOnContext(v -> {
      LiveSubscriber subscriber = subscriber(vertx);
      SessionServices services = services(vertx, subscriber);
      BindingLease unread = services.lease(uid, "ws");
      unread.bind(0).onComplete(test.succeeding(bound -> {
        ClientSession withoutCursor = new ClientSession(services, new Identity(uid, Long.MAX_VALUE), "phone",
            new RecordingTransport(), unread);
        withoutCursor.open(null).onComplete(test.failing(e -> {
          test.verify(() -> assertThat(e).isInstanceOf(IllegalStateException.class));
          subscriber.start(List.of())
              .compose(started -> append(uid, "one"))
              .compose(stored -> services.admit(uid, "ws", "phone"))
              .compose(lease -> {
                RecordingTransport transport = new RecordingTransport();
                ClientSession session = new ClientSession(services, new Identity(uid, Long.MAX_VALUE), "phone",
                    transport, lease);
                return session.open(null).map(transport);
              })
              .onComplete(test.succeeding(transport -> {
                test.verify(() -> assertThat(transport.frames).as("hello, then the entry after the cursor (none acked)")
                    .hasSize(2));
                test.completeNow();
              }));
        }));
      }));
    });
  }

  @Test
  void aSubscriptionNeverArmedFailsTheSetUpOnTheEventLoopAndLeavesNothing(Vertx vertx, VertxTestContext test) {
    Context loop = vertx.getOrCreateContext();
    loop.runOnContext(v -> {
      LiveSubscriber neverConnected = subscriber(vertx); // not started: nothing is ever armed
      SessionServices services = services(vertx, neverConnected);
      // Admitted (bound) first, as the endpoints do before the upgrade: only the arming can fail here.
      List<BindingLease> leases = IntStream.range(0, 5).mapToObj(i -> admitted(services, i < 3 ? "bob" : "cy")).toList();
      Future.all(leases.stream().map(BindingLease::bound).toList()).onComplete(test.succeeding(bound -> {
        List<ClientSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          sessions.add(new ClientSession(services, new Identity(i < 3 ? "bob" : "cy", Long.MAX_VALUE), "d" + i,
              new RecordingTransport(), leases.get(i)));
        }
        List<Future<Void>> opened = sessions.stream().map(s -> s.open(Seq.ZERO)
            .recover(e -> {
              test.verify(() -> {
                assertThat(e).isInstanceOf(TimeoutException.class);
                assertThat(Vertx.currentContext()).as("the timeout runs on the session's event loop").isSameAs(loop);
              });
              return s.close(CloseCode.TRY_AGAIN_LATER);
            })).toList();
        assertThat(services.registry().size()).isEqualTo(5);
        assertThat(neverConnected.subscriptions()).isEqualTo(2);
        Future.all(opened).onComplete(test.succeeding(all -> test.verify(() -> {
          assertThat(services.registry().size()).isZero();
          assertThat(neverConnected.subscriptions()).isZero();
          test.completeNow();
        })));
      }));
    });
  }

  private Future<String> append(String uid, String id) {
    return redis.send(Request.cmd(Command.XADD).arg(RedisKeys.log(uid)).arg("*").arg("m")
        .arg("{\"type\":\"message\",\"id\":\"" + id + "\"}")).map(reply -> reply.toString());
  }

  private Future<Boolean> exists(String key) {
    return redis.send(Request.cmd(Command.EXISTS).arg(key)).map(reply -> reply.toInteger() == 1);
  }
}
