package io.relay.push;

import io.relay.service.RedisClock;
import io.relay.service.RelayMetrics;
import io.relay.service.ServiceNode;

/**
 * One push-service process: {@code RELAY_EVENT_LOOPS} instances of {@link PushVerticle}, one per
 * event loop (see {@link ServiceNode}), each a logical push node named {@code <RELAY_NODE_ID>-<loop>}
 * with its own bindings, node channel, pub/sub link and sessions; they share the port, the meters
 * (summed: the gauges report the process's totals) and the estimate of Redis's clock. Undeploying
 * it undeploys every instance, each closing its own connections with 1012
 * (docs/architecture.md#event-loops).
 */
public final class PushNode extends ServiceNode<PushVerticle> {

  private final PushConfig config;

  public PushNode(PushConfig config) {
    super("push-service", config.shared(), config.port());
    this.config = config;
  }

  /** The node id event loop {@code loop} of process {@code nodeId} binds its connections with. */
  public static String loopNodeId(String nodeId, int loop) {
    return nodeId + "-" + loop;
  }

  @Override
  protected PushVerticle instance(int loop, RelayMetrics metrics, RedisClock clock) {
    return new PushVerticle(config, loop, metrics, clock);
  }

  /** Connections open on this process now, on every event loop. */
  public int connections() {
    return loops().stream().mapToInt(PushVerticle::connections).sum();
  }

  /** Live channels subscribed to now, summed over the event loops (each has its own pub/sub link). */
  public int subscriptions() {
    return loops().stream().mapToInt(PushVerticle::subscriptions).sum();
  }
}
