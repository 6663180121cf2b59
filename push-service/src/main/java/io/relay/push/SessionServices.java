package io.relay.push;

import io.relay.service.LogReader;
import io.relay.service.RelayMetrics;
import io.vertx.core.Vertx;

/** The node-wide parts every session uses, built once by {@link PushVerticle}. */
record SessionServices(Vertx vertx, PushConfig config, ConnectionRegistry registry, LiveSubscriber subscriber,
    Bindings bindings, Cursors cursors, LogReader logs, Receipts receipts, RelayMetrics metrics) {
}
