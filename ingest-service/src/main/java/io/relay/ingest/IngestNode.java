package io.relay.ingest;

import io.relay.service.RedisClock;
import io.relay.service.RelayMetrics;
import io.relay.service.ServiceNode;

/**
 * One ingest-service process: {@code RELAY_EVENT_LOOPS} instances of {@link IngestVerticle}, one
 * per event loop, on one port (see {@link ServiceNode}); each finishes its requests in flight when
 * undeployed.
 */
public final class IngestNode extends ServiceNode<IngestVerticle> {

  private final IngestConfig config;

  public IngestNode(IngestConfig config) {
    super("ingest-service", config.shared(), config.port());
    this.config = config;
  }

  @Override
  protected IngestVerticle instance(int loop, RelayMetrics metrics, RedisClock clock) {
    return new IngestVerticle(config, loop, metrics, clock);
  }
}
