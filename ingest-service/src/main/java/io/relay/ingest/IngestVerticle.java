package io.relay.ingest;

import io.relay.service.ChannelHistory;
import io.relay.service.DevMode;
import io.relay.service.LogReader;
import io.relay.service.LogWriter;
import io.relay.service.OpsRoutes;
import io.relay.service.PersistenceCheck;
import io.relay.service.RedisGateway;
import io.relay.service.RelayAuth;
import io.relay.service.RelayMetrics;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest-service's composition root: builds its parts from the config and serves HTTP. */
public final class IngestVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
  /** How long a stopping node lets in-flight requests finish. */
  static final long SHUTDOWN_GRACE_SEC = 10;

  private final IngestConfig config;
  private final RelayMetrics metrics = new RelayMetrics();
  private RedisGateway redis;
  private HttpServer server;

  public IngestVerticle(IngestConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    SharedConfig shared = config.shared();
    DevMode.warnIfOn(shared, LOG);
    redis = RedisGateway.create(vertx, shared, metrics);
    RelayAuth auth = RelayAuth.create(vertx, shared);
    MessageHandlers messages = new MessageHandlers(new MessageStore(new LogWriter(redis, shared)),
        new RoomMessageStore(redis, shared), new TransientPublisher(redis), new LogReader(redis), metrics,
        shared.maxBodyBytes());
    RoomHandlers rooms = new RoomHandlers(new RoomStore(redis, shared), new RoomHistory(redis), shared.maxRoomSize());
    ChannelHandlers channels = new ChannelHandlers(new ChannelStore(redis, shared, config.channelHistory()),
        new ChannelHistory(redis), metrics, shared.maxBodyBytes());
    var router = IngestRoutes.router(vertx, config, new CallerHandler(auth), messages, new TokenHandler(auth), rooms,
        new PresenceHandlers(new PresenceReader(redis)), channels, new OpsRoutes(redis, metrics, shared.nodeId()));
    int requestLimit = IngestRoutes.requestLimit(shared.maxBodyBytes());
    // curl -d sends JSON as a form: let Netty's form decoder hold as much as the body handler does.
    server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
            .setMaxFormBufferedBytes(requestLimit).setMaxFormAttributeSize(requestLimit))
        .requestHandler(router);
    return PersistenceCheck.warnIfVolatile(redis)
        .compose(v -> server.listen(config.port()))
        .onSuccess(s -> LOG.info("ingest-service {} listening on port {}", shared.nodeId(), s.actualPort()));
  }

  /** Stops taking connections and lets requests in flight finish (bounded), then closes Redis. */
  @Override
  public Future<?> stop() {
    return server.shutdown(SHUTDOWN_GRACE_SEC, TimeUnit.SECONDS).eventually(() -> redis.close());
  }

  /** The port the server listens on (useful when configured with port 0). */
  public int port() {
    return server.actualPort();
  }

  public RelayMetrics metrics() {
    return metrics;
  }
}
