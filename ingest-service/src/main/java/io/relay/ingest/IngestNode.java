package io.relay.ingest;

import io.relay.service.DevMode;
import io.relay.service.EventLoopInstances;
import io.relay.service.RedisClock;
import io.relay.service.RedisGateway;
import io.relay.service.RelayMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest-service process: {@code RELAY_EVENT_LOOPS} instances of {@link IngestVerticle}, one
 * per event loop, on one port; they share the meters and the estimate of Redis's clock (synced by
 * one of them). Undeploying it undeploys every instance, each finishing its requests in flight
 * (docs/architecture.md#event-loops).
 */
public final class IngestNode extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IngestNode.class);

  private final IngestConfig config;
  private final RelayMetrics metrics = new RelayMetrics();
  private final RedisClock clock;
  private volatile List<IngestVerticle> loops = List.of();

  public IngestNode(IngestConfig config) {
    this.config = config;
    this.clock = RedisGateway.clock(config.shared(), System::currentTimeMillis);
  }

  @Override
  public Future<?> start() {
    DevMode.warnIfOn(config.shared(), LOG);
    int count = config.shared().eventLoops();
    return EventLoopInstances.deploy(vertx, count, config.port(), loop -> new IngestVerticle(config, loop, metrics, clock))
        .onSuccess(deployed -> {
          loops = deployed;
          LOG.info("ingest-service {} serving port {} on {} event loops", config.shared().nodeId(), port(), count);
        });
  }

  /** The port every event loop serves. */
  public int port() {
    return loops.get(0).port();
  }

  /** The process's meters, every event loop's summed. */
  public RelayMetrics metrics() {
    return metrics;
  }

  /** The routes every event loop serves (each has its own router, built alike). */
  public Router router() {
    return loops.get(0).router();
  }
}
