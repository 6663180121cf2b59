package io.relay.ingest;

import io.relay.service.ChannelHistory;
import io.relay.service.EventLoopInstances;
import io.relay.service.LogWriter;
import io.relay.service.OpsRoutes;
import io.relay.service.PersistenceCheck;
import io.relay.service.ReadMarkers;
import io.relay.service.RedisClock;
import io.relay.service.RedisGateway;
import io.relay.service.RelayAuth;
import io.relay.service.RelayMetrics;
import io.relay.service.ServiceNode;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest-service's composition root for one event loop ({@link IngestNode} deploys one per
 * loop, all on one port): builds its parts from the config and serves HTTP. Requests are
 * stateless, so the instances share nothing but the meters and the estimate of Redis's clock;
 * each has its own Redis pool on its own event loop.
 */
public final class IngestVerticle extends VerticleBase implements ServiceNode.Loop {

  private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
  /** How long a stopping node lets in-flight requests finish. */
  static final long SHUTDOWN_GRACE_SEC = 10;

  private final IngestConfig config;
  private final int loop;
  private final RelayMetrics metrics;
  private final RedisClock clock;
  private RedisGateway redis;
  private HttpServer server;
  private Router router;

  /** A process of one event loop with this node's clock given (Unix ms): tests skew it against Redis's. */
  IngestVerticle(IngestConfig config, LongSupplier nodeClock) {
    this(config, 0, new RelayMetrics(), RedisGateway.clock(config.shared(), nodeClock));
  }

  /**
   * Event loop {@code loop} (0-based) of a process, with the process's meters and clock; serves
   * HTTP once told to {@link #listen}.
   */
  IngestVerticle(IngestConfig config, int loop, RelayMetrics metrics, RedisClock clock) {
    this.config = config;
    this.loop = loop;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    SharedConfig shared = config.shared();
    return RedisGateway.connect(vertx, shared, metrics, clock).compose(gateway -> {
      redis = gateway;
      return prepare(shared);
    });
  }

  /** Everything but listening: that waits until every event loop of the process is ready ({@link #listen}). */
  private Future<Void> prepare(SharedConfig shared) {
    RelayAuth auth = RelayAuth.create(vertx, shared);
    // On a Redis Cluster, stores whose keys span slots go shard by shard (docs/architecture.md#redis-cluster).
    ClusterLogs clusterLogs = redis.cluster() ? new ClusterLogs(redis, shared) : null;
    SendReservations reservations = redis.cluster() ? new SendReservations(redis) : null;
    MessageHandlers messages = new MessageHandlers(
        new MessageStore(new LogWriter(redis, shared),
            redis.cluster() ? new ClusterMessageStore(reservations, clusterLogs) : null),
        new RoomMessageStore(redis, shared,
            redis.cluster() ? new ClusterRoomMessages(redis, shared, reservations, clusterLogs) : null),
        new TransientPublisher(redis), new EditedLog(redis), metrics, config.rates(), shared.maxBodyBytes());
    RoomHandlers rooms = new RoomHandlers(
        new RoomStore(redis, shared, redis.cluster() ? new ClusterRooms(redis, shared, clusterLogs) : null),
        new RoomHistory(redis), config.rates(), shared.maxRoomSize());
    ChannelHandlers channels = new ChannelHandlers(new ChannelStore(redis, config.channelHistory()),
        new ChannelHistory(redis), metrics, config.rates(), shared.maxBodyBytes());
    MessageChangeHandlers changes = new MessageChangeHandlers(
        new MessageChanges(redis, shared, config.editWindowSec()), config.rates(), shared.maxBodyBytes());
    ConversationHandlers conversations = new ConversationHandlers(new ConversationList(redis),
        new ReadMarkers(redis, shared));
    router = IngestRoutes.router(vertx, config, new CallerHandler(auth), messages, changes, conversations,
        new TokenHandler(auth), rooms,
        new PresenceHandlers(new PresenceReader(redis)), channels, new OpsRoutes(redis, metrics, shared.nodeId()),
        metrics);
    int requestLimit = IngestRoutes.requestLimit(shared.maxBodyBytes());
    // curl -d sends JSON as a form: let Netty's form decoder hold as much as the body handler does.
    // No cleartext HTTP/2: nobody uses it here, and junk that starts like its preface was logged as errors.
    server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
            .setHttp2ClearTextEnabled(false)
            .setMaxFormBufferedBytes(requestLimit).setMaxFormAttributeSize(requestLimit))
        .requestHandler(router);
    Future<Void> checked = loop == 0 ? PersistenceCheck.warnIfVolatile(redis) : Future.succeededFuture(); // once a process
    return checked.compose(v -> redis.syncClock());
  }

  /** Serves {@code port} on this event loop, once the process's every event loop has started. */
  @Override
  public Future<Integer> listen(int port) {
    return EventLoopInstances.listenOn(context, server, port)
        .onSuccess(bound -> LOG.debug("ingest-service {} event loop {} listening on port {}", config.shared().nodeId(),
            loop, bound));
  }

  /** Stops taking connections and lets requests in flight finish (bounded), then closes Redis. */
  @Override
  public Future<?> stop() {
    Future<Void> stopped = server == null ? Future.succeededFuture()
        : server.shutdown(SHUTDOWN_GRACE_SEC, TimeUnit.SECONDS);
    return stopped.eventually(() -> redis == null ? Future.succeededFuture() : redis.close());
  }

  /** The port the server listens on (useful when configured with port 0). */
  public int port() {
    return server.actualPort();
  }

  public RelayMetrics metrics() {
    return metrics;
  }

  /** The routes this node serves; a test checks them against docs/openapi.yaml. */
  public Router router() {
    return router;
  }
}
