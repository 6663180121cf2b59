package io.relay.push.channel;

import io.relay.service.Identity;
import io.vertx.core.Vertx;

/** The node-wide channel parts every connection uses, built once by the push verticle. */
public record ChannelServices(Vertx vertx, ChannelFanout fanout, ChannelReader history, ConnectionChannels.Settings settings) {

  /** The channel subscriptions of one new connection. */
  public ConnectionChannels forConnection(Identity identity, ChannelSink sink) {
    return new ConnectionChannels(vertx, fanout, history, identity, sink, settings);
  }
}
