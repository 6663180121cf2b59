package io.relay.push.transport;

import io.relay.push.channel.ChannelSink;
import io.relay.push.session.ClientSession;
import io.relay.push.session.SharedFrame;
import io.vertx.core.Future;

/** A client session as the channel subscriptions of its connection write to it. */
record SessionChannelSink(ClientSession session) implements ChannelSink {

  @Override
  public boolean deliver(SharedFrame frame) {
    return session.deliver(frame);
  }

  @Override
  public Future<Void> writable() {
    return session.writable();
  }

  @Override
  public void reply(String frame) {
    session.reply(frame);
  }
}
