package io.relay.service;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Deploys one instance of a service's verticle per event loop ({@code RELAY_EVENT_LOOPS}), all
 * serving one port (docs/architecture.md#event-loops). Every instance starts (Redis, pub/sub)
 * before any listens, then they all listen on the configured port (port 0: one free port for all
 * of them): Vert.x binds the port once and hands accepted connections to the instances in turn,
 * each on its own event loop. So the port answers,
 * and a readiness probe passes, only once every event loop is there to take a share of the
 * connections. Called from a process-level verticle's start, so undeploying that verticle
 * undeploys every instance, and each drains its own connections.
 */
public final class EventLoopInstances {

  /** A verticle that serves HTTP once told to listen. */
  public interface Instance extends Deployable {
    /** Starts listening on {@code port}; completes with the port bound. */
    Future<Integer> listen(int port);
  }

  /** The negative ports handed out so far: each process-level deployment on port 0 gets its own. */
  private static final AtomicInteger RANDOM_PORTS = new AtomicInteger();

  private EventLoopInstances() {
  }

  /**
   * Deploys {@code loops} instances, {@code factory} building the one for each loop (0-based);
   * completes with them, in loop order, once every one listens.
   */
  public static <V extends Instance> Future<List<V>> deploy(Vertx vertx, int loops, int port, IntFunction<V> factory) {
    List<V> all = IntStream.range(0, loops).mapToObj(factory).toList();
    // Vert.x shares a bound port among the servers that ask for the same one; port 0 would give
    // each its own, but the same negative number gives them one random port together.
    int shared = port == 0 ? -RANDOM_PORTS.incrementAndGet() : port;
    return Future.all(all.stream().map(vertx::deployVerticle).toList())
        .compose(deployed -> Future.all(all.stream().map(instance -> instance.listen(shared)).toList()))
        .map(all);
  }

  /**
   * Listens on {@code context}, the instance's own: a server's connections are handled on the
   * event loop of the context that called {@code listen}.
   */
  public static Future<Integer> listenOn(Context context, HttpServer server, int port) {
    Promise<Integer> bound = Promise.promise();
    context.runOnContext(v -> server.listen(port).map(HttpServer::actualPort).onComplete(bound));
    return bound.future();
  }
}
