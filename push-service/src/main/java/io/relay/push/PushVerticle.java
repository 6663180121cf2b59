package io.relay.push;

import io.relay.model.CloseCode;
import io.relay.model.PubSubMode;
import io.relay.model.RedisKeys;
import io.relay.push.channel.ChannelFanout;
import io.relay.push.channel.ChannelReader;
import io.relay.push.channel.ChannelServices;
import io.relay.push.channel.ConnectionChannels;
import io.relay.push.demo.DemoPage;
import io.relay.push.live.LiveSubscriber;
import io.relay.push.live.PubSubLinks;
import io.relay.push.session.ConnectionRegistry;
import io.relay.push.session.CatchUpPacer;
import io.relay.push.session.SessionServices;
import io.relay.push.session.SetupGate;
import io.relay.push.session.TickWheel;
import io.relay.push.store.Bindings;
import io.relay.push.store.Cursors;
import io.relay.push.store.Receipts;
import io.relay.push.store.Typing;
import io.relay.push.store.Unbinds;
import io.relay.push.transport.AckEndpoint;
import io.relay.push.transport.FallbackAuth;
import io.relay.push.transport.PollEndpoint;
import io.relay.push.transport.SseEndpoint;
import io.relay.push.transport.WebSocketEndpoint;
import io.relay.service.ChannelHistory;
import io.relay.service.CorsPolicy;
import io.relay.service.ErrorRenderer;
import io.relay.service.EventLoopInstances;
import io.relay.service.LogReader;
import io.relay.service.LogWriter;
import io.relay.service.OpsRoutes;
import io.relay.service.PersistenceCheck;
import io.relay.service.ReadMarkers;
import io.relay.service.RedisClock;
import io.relay.service.RedisFactory;
import io.relay.service.RedisGateway;
import io.relay.service.RefusedRequests;
import io.relay.service.RelayAuth;
import io.relay.service.RelayMetrics;
import io.relay.service.ServiceNode;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop of a push-service process ({@link PushNode} deploys one per loop): a logical push
 * node of its own, with its own node id in its bindings, node channel, pub/sub link, subscriptions
 * and sessions, so delivery never crosses event loops (docs/architecture.md#event-loops). Composes
 * the subscriber, registry, bindings and the endpoints; shares the port, meters and Redis clock.
 */
public final class PushVerticle extends VerticleBase implements ServiceNode.Loop {

  private static final Logger LOG = LoggerFactory.getLogger(PushVerticle.class);
  /** After a pub/sub outage: catch-ups running at once, and the most each waits before it starts. */
  private static final int CATCH_UP_CONCURRENCY = 32;
  private static final long CATCH_UP_JITTER_MS = 50;
  /** How often the pub/sub link is probed; three silent probes and it is replaced. */
  private static final long PUBSUB_PROBE_MS = 5_000;
  /** Channel history entries read per replay page, at most. */
  private static final int CHANNEL_PAGE = 200;

  private final PushConfig config;
  private final int loop;
  private final String nodeId;
  private final RelayMetrics metrics;
  private final RedisClock clock;
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private RedisGateway redis;
  private RedisGateway probes;
  private Unbinds unbinds;
  private LiveSubscriber subscriber;
  private ChannelFanout fanout;
  private HttpServer server;
  private Router router;

  /**
   * @param loop    which of the process's event loops (0-based): its node id is {@link PushNode#loopNodeId}
   * @param metrics the process's meters
   * @param clock   the process's estimate of Redis's clock
   */
  PushVerticle(PushConfig config, int loop, RelayMetrics metrics, RedisClock clock) {
    this.config = config;
    this.loop = loop;
    this.nodeId = PushNode.loopNodeId(config.shared().nodeId(), loop);
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    SharedConfig shared = config.shared();
    return RedisGateway.connect(vertx, shared, metrics, clock).compose(gateway -> {
      redis = gateway;
      probes = OpsRoutes.probeClient(vertx, shared, metrics, gateway.mode()); // readiness is not queued behind a storm's set-ups
      return prepare(shared);
    });
  }

  /** Everything but listening: that waits until every event loop of the process is ready ({@link #listen}). */
  private Future<Void> prepare(SharedConfig shared) {
    String nodeChannel = RedisKeys.nodeLive(nodeId);
    fanout = new ChannelFanout(channelLink());
    LiveRouter liveRouter = new LiveRouter(nodeChannel, registry, fanout,
        new CatchUpPacer(vertx, CATCH_UP_CONCURRENCY, CATCH_UP_JITTER_MS), metrics);
    // On a cluster: one sharded subscriber connection per primary (docs/architecture.md#push-on-a-redis-cluster).
    subscriber = new LiveSubscriber(vertx, PubSubLinks.create(vertx, RedisFactory.options(shared, redis.mode()),
        redis.mode().pubSub() == PubSubMode.SHARDED), liveRouter, PUBSUB_PROBE_MS);
    Bindings bindings = new Bindings(redis, nodeId, config.livenessMillis());
    unbinds = new Unbinds(vertx, bindings, System::currentTimeMillis);
    SessionServices services = new SessionServices(vertx, config, registry, subscriber, bindings, unbinds,
        new Cursors(redis, shared.retentionMillis() + 86_400_000L), new LogReader(redis),
        new Receipts(redis, new LogWriter(redis, shared), new ReadMarkers(redis, shared)), new Typing(redis),
        metrics, new SetupGate(config.setupConcurrency(), config.setupQueue()),
        new TickWheel(vertx, Math.max(50, config.heartbeatMillis() / 4)));
    ChannelServices channels = new ChannelServices(vertx, fanout, ChannelReader.of(new ChannelHistory(redis)),
        new ConnectionChannels.Settings(config.maxChannelsPerConn(),
            Math.max(1, Math.min(CHANNEL_PAGE, config.sendQueueMax() / 2)), shared.redisTimeoutMs()));
    metrics.gauge("relay.connections", "client connections open on this node", registry::size);
    metrics.gauge("relay.unbinds.pending", "unbinds of closed connections not written to Redis yet",
        unbinds::pending);
    metrics.gauge("relay.channels", "channels this node is subscribed to in Redis", fanout::channels);
    metrics.gauge("relay.channel.subscriptions", "connection subscriptions to channels on this node",
        fanout::subscriptions);
    metrics.gauge("relay.subscriptions", "live channels this node is subscribed to", subscriber::subscriptions);
    metrics.gauge("relay.setups.waiting", "handshakes waiting for their turn to be set up", services.setups()::waiting);
    metrics.counter("relay.setups.refused", "handshakes refused because too many were waiting to be set up",
        services.setups(), SetupGate::refused);
    metrics.counter("relay.pubsub.reconnects", "times the pub/sub connection was re-established", subscriber,
        LiveSubscriber::reconnects);
    router = routes(services, channels, RelayAuth.create(vertx, shared), new CorsPolicy(shared.corsOrigins()));
    server = vertx.createHttpServer(new HttpServerOptions()
            .setMaxWebSocketFrameSize(config.hardFrameCapBytes())
            .setMaxWebSocketMessageSize(config.hardFrameCapBytes())
            .setRegisterWebSocketWriteHandlers(false)
            // Every response is written from its connection's event loop: no cross-thread write
            // queue (a 1024-slot array) per HTTP connection, so a handshake allocates ~5 KB less.
            .setStrictThreadMode(true)
            // HTTP/1.1 and WebSocket only: no cleartext HTTP/2, whose preface junk was logged as errors.
            .setHttp2ClearTextEnabled(false))
        .requestHandler(router); // one router: a second would register its gauges twice and serve the other
    Future<Void> checked = loop == 0 ? PersistenceCheck.warnIfVolatile(probes) : Future.succeededFuture(); // once a process
    return checked.compose(v -> subscriber.start(List.of(nodeChannel)));
  }

  /** Serves {@code port} on this event loop, once the process's every event loop has started. */
  @Override
  public Future<Integer> listen(int port) {
    return EventLoopInstances.listenOn(context, server, port)
        .onSuccess(bound -> LOG.debug("push-service {} listening on port {}", nodeId, bound));
  }

  /** A channel's live pub/sub, subscribed through this node's one pub/sub connection. */
  private ChannelFanout.Link channelLink() {
    return new ChannelFanout.Link() {
      @Override
      public Future<Void> subscribe(String channel) {
        return subscriber.subscribe(RedisKeys.channelLive(channel));
      }

      @Override
      public void unsubscribe(String channel) {
        subscriber.unsubscribe(RedisKeys.channelLive(channel));
      }
    };
  }

  private Router routes(SessionServices services, ChannelServices channels, RelayAuth auth, CorsPolicy cors) {
    Router router = Router.router(vertx);
    RefusedRequests.mount(router, metrics);
    ErrorRenderer.install(router);
    cors.mount(router);
    new OpsRoutes(probes, metrics, config.shared().nodeId()).mount(router);
    router.get("/v1/ws").handler(new WebSocketEndpoint(services, channels, auth, cors)::handle);
    FallbackAuth fallbackAuth = new FallbackAuth(auth, cors);
    router.get("/v1/sse").handler(new SseEndpoint(services, channels, fallbackAuth)::handle);
    router.get("/v1/poll").handler(new PollEndpoint(services, channels, fallbackAuth)::handle);
    AckEndpoint ack = new AckEndpoint(services, fallbackAuth);
    BodyHandler ackBodies = AckEndpoint.bodies(); // after the caller is known: a plain step, not a BODY one
    router.post("/v1/ack").handler(ack::authenticate).handler(ctx -> ackBodies.handle(ctx)).handler(ack::handle);
    if (config.shared().dev()) {
      new DemoPage(config.demoIngestUrl()).mount(router); // chat demo at "/", dev mode only (docs/demo.md)
    }
    return router;
  }

  /**
   * Graceful shutdown (docs/operations.md): stop accepting, close every connection with 1012 and remove this
   * node's bindings, then release Redis.
   */
  @Override
  public Future<?> stop() {
    List<Future<Void>> closing = registry.all().stream().map(s -> s.close(CloseCode.SHUTTING_DOWN)).toList();
    LOG.info("{}: closing {} connections with 1012", nodeId, closing.size());
    return Future.join(closing)
        .transform(ar -> server == null ? Future.succeededFuture() : server.shutdown(1, TimeUnit.SECONDS))
        .eventually(() -> subscriber == null ? Future.succeededFuture() : subscriber.stop())
        .eventually(() -> probes == null ? Future.succeededFuture() : probes.close())
        .eventually(() -> redis == null ? Future.succeededFuture() : redis.close());
  }

  public int port() {
    return server.actualPort();
  }

  /** The routes this node serves; a test checks them against docs/openapi.yaml. */
  public Router router() {
    return router;
  }

  /** This event loop's node id. */
  public String nodeId() {
    return nodeId;
  }

  /** Connections open on this event loop now. */
  public int connections() {
    return registry.size();
  }

  /** Live channels this event loop is subscribed to now. */
  public int subscriptions() {
    return subscriber.subscriptions();
  }
}
