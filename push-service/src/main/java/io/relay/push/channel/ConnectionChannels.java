package io.relay.push.channel;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.push.session.Deadline;
import io.relay.service.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels one connection is subscribed to: answers its {@code subscribe} and
 * {@code unsubscribe} frames (rights, name, the per-connection limit), and gives every
 * subscription back when the connection ends. A refusal is an {@code error} frame naming the
 * channel; the connection stays.
 */
public final class ConnectionChannels {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionChannels.class);

  private final Vertx vertx;
  private final ChannelFanout fanout;
  private final ChannelReader history;
  private final Identity identity;
  private final ChannelSink sink;
  private final Settings settings;
  private final Map<String, Entry> subscriptions = new LinkedHashMap<>();
  private boolean released;

  /**
   * @param maxChannels    channels one connection may hold at once
   * @param pageSize       history entries read per replay page
   * @param armTimeoutMs   longest wait for Redis to confirm a subscription
   */
  public record Settings(int maxChannels, int pageSize, long armTimeoutMs) {
  }

  public ConnectionChannels(Vertx vertx, ChannelFanout fanout, ChannelReader history, Identity identity,
      ChannelSink sink, Settings settings) {
    this.vertx = vertx;
    this.fanout = fanout;
    this.history = history;
    this.identity = identity;
    this.sink = sink;
    this.settings = settings;
  }

  /** True for the client frame types this class answers. */
  public static boolean handles(Object type) {
    return "subscribe".equals(type) || "unsubscribe".equals(type);
  }

  /** Answers a {@code subscribe} or {@code unsubscribe} frame. */
  public void handle(JsonObject frame) {
    Object name = frame.getValue("channel");
    if (!(name instanceof String channel)) {
      sink.reply(ChannelReplies.error(ErrorCode.BAD_FRAME, null, frame.getValue("type") + " needs a channel string"));
      return;
    }
    if (!Ids.isValidName(channel)) {
      sink.reply(ChannelReplies.error(ErrorCode.INVALID_FIELD, channel,
          "channel must be 1-64 characters of [A-Za-z0-9_.:@-]"));
      return;
    }
    if ("unsubscribe".equals(frame.getValue("type"))) {
      unsubscribe(channel);
      return;
    }
    Object since = frame.getValue("since");
    if (since != null && !(since instanceof String text && Seq.isValid(text))) {
      sink.reply(ChannelReplies.error(ErrorCode.INVALID_FIELD, channel, "since must be an offset like 1732300000000-0"));
      return;
    }
    subscribe(channel, since == null ? null : Seq.parse((String) since));
  }

  /**
   * Subscribes {@code channel}, replaying after {@code since} when given. Completes when the
   * subscription is live (or was refused: the refusal has been sent).
   */
  public Future<Void> subscribe(String channel, Seq since) {
    if (released) {
      return Future.succeededFuture();
    }
    Entry existing = subscriptions.get(channel);
    if (existing != null) {
      // Idempotent: answer again once live, delivering nothing twice.
      return existing.ready.onSuccess(v -> repeatSubscribed(existing.subscription));
    }
    if (!identity.maySubscribe(channel)) {
      sink.reply(ChannelReplies.error(ErrorCode.FORBIDDEN, channel, "this token may not subscribe to " + channel));
      return Future.succeededFuture();
    }
    if (subscriptions.size() >= settings.maxChannels()) {
      sink.reply(ChannelReplies.error(ErrorCode.RATE_LIMITED, channel,
          "at most " + settings.maxChannels() + " channels per connection"));
      return Future.succeededFuture();
    }
    ChannelSubscription subscription = new ChannelSubscription(channel, history, sink, settings.pageSize());
    Future<Void> armed = Deadline.within(vertx, fanout.join(channel, subscription), settings.armTimeoutMs(),
        "channel subscription");
    Future<Void> ready = subscription.start(armed, since);
    subscriptions.put(channel, new Entry(subscription, ready));
    return ready.recover(e -> {
      failed(subscription, e);
      return Future.succeededFuture();
    });
  }

  /** Unsubscribes {@code channel} (nothing to do when not subscribed) and answers {@code unsubscribed}. */
  public void unsubscribe(String channel) {
    drop(channel);
    sink.reply(ChannelReplies.unsubscribed(channel));
  }

  /** The connection ended: every subscription goes, exactly once. */
  public void releaseAll() {
    if (released) {
      return;
    }
    released = true;
    new ArrayList<>(subscriptions.keySet()).forEach(this::drop);
  }

  /** Channels subscribed (or being subscribed) now. */
  public List<String> channels() {
    return List.copyOf(subscriptions.keySet());
  }

  private void repeatSubscribed(ChannelSubscription subscription) {
    Entry current = subscriptions.get(subscription.channel());
    if (current != null && current.subscription == subscription) {
      sink.reply(ChannelReplies.subscribed(subscription.channel(), subscription.last(), true));
    }
  }

  /** Redis could not confirm or read in time: the client is told, and may subscribe again. */
  private void failed(ChannelSubscription subscription, Throwable cause) {
    String channel = subscription.channel();
    Entry current = subscriptions.get(channel);
    if (released || current == null || current.subscription != subscription) {
      return; // already gone, or replaced by a newer subscribe
    }
    LOG.warn("channel {} subscription failed: {}", channel, cause.toString());
    drop(channel);
    sink.reply(ChannelReplies.error(ErrorCode.UNAVAILABLE, channel,
        "channel unavailable, subscribe again (with since)"));
  }

  private void drop(String channel) {
    Entry entry = subscriptions.remove(channel);
    if (entry != null) {
      entry.subscription.stop();
      fanout.leave(channel, entry.subscription);
    }
  }

  private record Entry(ChannelSubscription subscription, Future<Void> ready) {
  }
}
