package io.relay.service;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service process: {@code RELAY_EVENT_LOOPS} instances of its verticle, one per event loop,
 * on one port ({@link EventLoopInstances}); they share the meters and the estimate of Redis's
 * clock (synced by one of them). Undeploying it undeploys every instance, each draining its own
 * work (docs/architecture.md#event-loops).
 */
public abstract class ServiceNode<V extends ServiceNode.Loop> extends VerticleBase {

  /** A service's verticle for one event loop. */
  public interface Loop extends EventLoopInstances.Instance {
    /** The port bound, once listening. */
    int port();

    /** The routes this instance serves. */
    Router router();
  }

  private static final Logger LOG = LoggerFactory.getLogger(ServiceNode.class);

  private final String service;
  private final SharedConfig shared;
  private final int port;
  private final RelayMetrics metrics = new RelayMetrics();
  private final RedisClock clock;
  private volatile List<V> loops = List.of();

  protected ServiceNode(String service, SharedConfig shared, int port) {
    this.service = service;
    this.shared = shared;
    this.port = port;
    this.clock = RedisGateway.clock(shared, System::currentTimeMillis);
  }

  /** The instance for event loop {@code loop} (0-based), sharing {@code metrics} and {@code clock}. */
  protected abstract V instance(int loop, RelayMetrics metrics, RedisClock clock);

  @Override
  public Future<?> start() {
    DevMode.warnIfOn(shared, LOG);
    int count = shared.eventLoops();
    return EventLoopInstances.deploy(vertx, count, port, loop -> instance(loop, metrics, clock))
        .onSuccess(deployed -> {
          loops = deployed;
          LOG.info("{} {} serving port {} on {} event loops", service, shared.nodeId(), port(), count);
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

  /** The instances, one per event loop, in loop order. */
  public List<V> loops() {
    return loops;
  }
}
