package io.relay.loadtest;

import io.relay.testing.ServiceProcess;
import io.relay.testing.SilentWebSocket;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/** The faults of issue 3, injected one at a time, each leaving the cluster whole again. */
final class Faults {

  /** Every kind of fault the run injects. */
  enum Kind {
    KILL_PUSH, TERM_PUSH, KILL_INGEST, TERM_INGEST, KILL_REDIS, DROP_PUBSUB, HALF_OPEN_CLIENT, SLOW_CONSUMER
  }

  /** One injected fault and when it happened. */
  record Injected(Kind kind, String target, long startNanos, long endNanos) {
  }

  private final Cluster cluster;
  private final Vertx vertx;
  private final Random random;
  private final List<ChaosClient> clients;
  private final Traffic traffic;
  private final String ghostToken;
  private final int heartbeatSec;
  private final List<Injected> injected = Collections.synchronizedList(new ArrayList<>());

  Faults(Cluster cluster, Vertx vertx, Random random, List<ChaosClient> clients, Traffic traffic,
      String ghostToken, int heartbeatSec) {
    this.cluster = cluster;
    this.vertx = vertx;
    this.random = random;
    this.clients = clients;
    this.traffic = traffic;
    this.ghostToken = ghostToken;
    this.heartbeatSec = heartbeatSec;
  }

  List<Injected> injected() {
    return List.copyOf(injected);
  }

  /** Injects one random fault and repairs it; blocks while it lasts. */
  Injected injectOne(Consumer<String> log) throws Exception {
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    long start = System.nanoTime();
    String target = inject(kind);
    Injected fault = new Injected(kind, target, start, System.nanoTime());
    injected.add(fault);
    log.accept(kind + " " + target);
    return fault;
  }

  private String inject(Kind kind) throws Exception {
    return switch (kind) {
      case KILL_PUSH -> crash(pick(cluster.push), true);
      case TERM_PUSH -> crash(pick(cluster.push), false);
      case KILL_INGEST -> crash(pick(cluster.ingest), true);
      case TERM_INGEST -> crash(pick(cluster.ingest), false);
      case KILL_REDIS -> killRedis();
      case DROP_PUBSUB -> dropPubSub();
      case HALF_OPEN_CLIENT -> halfOpenClient();
      case SLOW_CONSUMER -> slowConsumer();
    };
  }

  private ServiceProcess pick(List<ServiceProcess> nodes) {
    return nodes.get(random.nextInt(nodes.size()));
  }

  private String crash(ServiceProcess node, boolean hard) throws InterruptedException {
    if (hard) {
      node.kill();
    } else {
      node.terminate();
    }
    Thread.sleep(500 + random.nextInt(1500)); // the outage itself is the subject: it must last a while
    node.restart();
    return "port " + node.port();
  }

  private String killRedis() throws InterruptedException {
    cluster.redis.kill();
    Thread.sleep(500 + random.nextInt(1500));
    cluster.redis.restart();
    return "pid " + cluster.redis.pid();
  }

  private String dropPubSub() {
    Redis redis = Redis.createClient(vertx, cluster.redis.url());
    try {
      long killed = redis.send(Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("pubsub")).await().toLong();
      return killed + " connections";
    } finally {
      redis.close();
    }
  }

  /** A client that stops answering without closing TCP; the node must drop it within 2×heartbeat. */
  private String halfOpenClient() throws IOException, InterruptedException {
    ServiceProcess node = pick(cluster.push);
    try (SilentWebSocket ghost = new SilentWebSocket(node.port(), "/v1/ws?token=" + ghostToken)) {
      Thread.sleep(2_000L * heartbeatSec + 1_000);
    }
    return "port " + node.port();
  }

  /** A device stops reading while a burst arrives for it; it must catch up (maybe after 4008). */
  private String slowConsumer() throws InterruptedException {
    ChaosClient victim = clients.get(random.nextInt(clients.size()));
    victim.stall(4_000);
    vertx.runOnContext(v -> traffic.burst(victim.uid(), 150, 8 * 1024));
    Thread.sleep(4_000);
    return victim.uid();
  }
}
