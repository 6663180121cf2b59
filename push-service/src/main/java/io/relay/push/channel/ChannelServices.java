package io.relay.push.channel;

import io.relay.service.Identity;

/** The node-wide channel parts every connection uses, built once by the push verticle. */
public record ChannelServices(ChannelFanout fanout, ChannelReader history, ConnectionChannels.Settings settings) {

  /** The channel subscriptions of one new connection. */
  public ConnectionChannels forConnection(Identity identity, ChannelSink sink) {
    return new ConnectionChannels(fanout, history, identity, sink, settings);
  }
}
