package io.relay.push.session;

import io.relay.push.PushConfig;
import io.relay.push.live.LiveSubscriber;
import io.relay.push.store.Bindings;
import io.relay.push.store.Cursors;
import io.relay.push.store.Receipts;
import io.relay.push.store.Typing;
import io.relay.service.LogReader;
import io.relay.service.RelayMetrics;
import io.vertx.core.Vertx;

/** The node-wide parts every session uses, built once by {@link PushVerticle}. */
public record SessionServices(Vertx vertx, PushConfig config, ConnectionRegistry registry, LiveSubscriber subscriber,
    Bindings bindings, Cursors cursors, LogReader logs, Receipts receipts, Typing typing, RelayMetrics metrics) {
}
