package io.relay.push;

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
 * One push-service process: {@code RELAY_EVENT_LOOPS} instances of {@link PushVerticle}, one per
 * event loop, each a logical push node named {@code <RELAY_NODE_ID>-<loop>} with its own bindings,
 * node channel, pub/sub link and sessions; they share the port, the meters (summed: the gauges
 * report the process's totals) and the estimate of Redis's clock. Undeploying it undeploys every
 * instance, each closing its own connections with 1012 (docs/architecture.md#event-loops).
 */
public final class PushNode extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PushNode.class);

  private final PushConfig config;
  private final RelayMetrics metrics = new RelayMetrics();
  private final RedisClock clock;
  private volatile List<PushVerticle> loops = List.of();

  public PushNode(PushConfig config) {
    this.config = config;
    this.clock = RedisGateway.clock(config.shared(), System::currentTimeMillis);
  }

  /** The node id event loop {@code loop} of process {@code nodeId} binds its connections with. */
  public static String loopNodeId(String nodeId, int loop) {
    return nodeId + "-" + loop;
  }

  @Override
  public Future<?> start() {
    DevMode.warnIfOn(config.shared(), LOG);
    int count = config.shared().eventLoops();
    return EventLoopInstances.deploy(vertx, count, config.port(), loop -> new PushVerticle(config, loop, metrics, clock))
        .onSuccess(deployed -> {
          loops = deployed;
          LOG.info("push-service {} serving port {} on {} event loops", config.shared().nodeId(), port(), count);
        });
  }

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

  /** The instances, one per event loop, in loop order. */
  public List<PushVerticle> loops() {
    return loops;
  }

  /** Connections open on this process now, on every event loop. */
  public int connections() {
    return loops.stream().mapToInt(PushVerticle::connections).sum();
  }

  /** Live channels subscribed to now, summed over the event loops (each has its own pub/sub link). */
  public int subscriptions() {
    return loops.stream().mapToInt(PushVerticle::subscriptions).sum();
  }
}
