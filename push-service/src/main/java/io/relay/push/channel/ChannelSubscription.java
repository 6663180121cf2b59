package io.relay.push.channel;

import io.relay.model.Seq;
import io.relay.push.session.DeliveryStream;
import io.vertx.core.Future;

/**
 * One connection's subscription to one channel: once the node's subscription is armed it answers
 * {@code subscribed}, replays the history after {@code since} (or after the newest offset), then
 * delivers live frames in offset order, never one twice. Transient frames (no offset) go straight
 * out once {@code subscribed} has.
 */
final class ChannelSubscription implements ChannelFanout.Member, DeliveryStream.Sink<ChannelFrame> {

  private final String channel;
  private final ChannelReader history;
  private final ChannelSink sink;
  private final DeliveryStream<ChannelFrame> stream;
  private boolean announced;
  private boolean stopped;

  ChannelSubscription(String channel, ChannelReader history, ChannelSink sink, int pageSize) {
    this.channel = channel;
    this.history = history;
    this.sink = sink;
    this.stream = new DeliveryStream<>(
        (after, limit) -> history.after(channel, after, limit)
            .map(entries -> entries.stream().map(ChannelFrame::stored).toList()),
        ChannelFrame::offset, this, pageSize);
  }

  String channel() {
    return channel;
  }

  /**
   * After {@code armed}: answers {@code subscribed}, then replays. Completes when the replay is
   * done; fails when the node's subscription or the history read failed.
   */
  Future<Void> start(Future<Void> armed, Seq since) {
    return armed.compose(v -> {
      Future<Seq> newest = history.newest(channel);
      Future<Boolean> recovered = since == null ? Future.succeededFuture(true) : history.recovers(channel, since);
      return Future.all(newest, recovered).compose(all -> {
        if (stopped) {
          return Future.succeededFuture();
        }
        sink.reply(ChannelReplies.subscribed(channel, newest.result(), recovered.result()));
        announced = true;
        Seq from = since != null ? since : newest.result() != null ? newest.result() : Seq.ZERO;
        return stream.start(from);
      });
    });
  }

  /** The offset of the last message delivered, null before {@code subscribed}. */
  Seq last() {
    return announced ? stream.last() : null;
  }

  @Override
  public void onLive(ChannelFrame frame) {
    if (stopped) {
      return;
    }
    if (frame.isStored()) {
      stream.onLive(frame);
    } else if (announced && !sink.deliver(frame.frame())) {
      stop();
    }
  }

  @Override
  public void holdLive() {
    stream.hold();
  }

  /** After a pub/sub outage: reads the history after the last offset sent; fails to be retried. */
  @Override
  public Future<Void> catchUp() {
    return stream.catchUp();
  }

  void stop() {
    stopped = true;
    stream.stop();
  }

  @Override
  public boolean write(ChannelFrame frame, boolean live) {
    return !stopped && sink.deliver(frame.frame());
  }

  @Override
  public Future<Void> writable() {
    return sink.writable();
  }
}
