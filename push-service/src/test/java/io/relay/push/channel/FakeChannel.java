package io.relay.push.channel;

import io.relay.model.ChannelEntry;
import io.relay.model.Seq;
import io.relay.push.session.SharedFrame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * In-memory stand-ins for what channel subscriptions talk to: the pub/sub link, the stored
 * history (whose reads can be held open to let live frames race them) and a connection.
 */
final class FakeChannel {

  private FakeChannel() {
  }

  /** A pub/sub link that records (un)subscribes and arms when told to. */
  static final class Link implements ChannelFanout.Link {
    final List<String> subscribes = new ArrayList<>();
    final List<String> unsubscribes = new ArrayList<>();
    private final List<Promise<Void>> pending = new ArrayList<>();
    boolean armAtOnce = true;

    @Override
    public Future<Void> subscribe(String channel) {
      subscribes.add(channel);
      if (armAtOnce) {
        return Future.succeededFuture();
      }
      Promise<Void> armed = Promise.promise();
      pending.add(armed);
      return armed.future();
    }

    @Override
    public void unsubscribe(String channel) {
      unsubscribes.add(channel);
    }

    void armAll() {
      pending.forEach(Promise::complete);
      pending.clear();
    }
  }

  /** A channel history; with {@code holdReads} each read waits until {@link #releaseRead()}. */
  static final class History implements ChannelReader {
    final List<ChannelEntry> entries = new ArrayList<>();
    private final Deque<Runnable> heldReads = new ArrayDeque<>();
    boolean holdReads;
    boolean recovers = true;
    int reads;

    /** Stores a message and returns the frame the store would publish. */
    String append(long offset, String body) {
      ChannelEntry entry = new ChannelEntry(new Seq(offset, 0),
          new JsonObject().put("type", "message").put("channel", "show:1").put("body", body).encode());
      entries.add(entry);
      return entry.frame();
    }

    @Override
    public Future<List<ChannelEntry>> after(String channel, Seq after, int limit) {
      reads++;
      Promise<List<ChannelEntry>> page = Promise.promise();
      Runnable read = () -> page.complete(entries.stream().filter(e -> e.offset().isAfter(after)).limit(limit).toList());
      if (holdReads) {
        heldReads.add(read);
      } else {
        read.run();
      }
      return page.future();
    }

    void releaseRead() {
      heldReads.removeFirst().run();
    }

    @Override
    public Future<Seq> newest(String channel) {
      return Future.succeededFuture(entries.isEmpty() ? null : entries.get(entries.size() - 1).offset());
    }

    @Override
    public Future<Boolean> recovers(String channel, Seq since) {
      return Future.succeededFuture(recovers);
    }
  }

  /** A connection: message frames (by identity, to check sharing) and control replies. */
  static final class Sink implements ChannelSink {
    final List<SharedFrame> delivered = new ArrayList<>();
    final List<JsonObject> replies = new ArrayList<>();
    boolean open = true;

    @Override
    public boolean deliver(SharedFrame frame) {
      if (open) {
        delivered.add(frame);
      }
      return open;
    }

    @Override
    public Future<Void> writable() {
      return Future.succeededFuture();
    }

    @Override
    public void reply(String frame) {
      replies.add(new JsonObject(frame));
    }

    /** The bodies of the message frames delivered, in order. */
    List<String> bodies() {
      return delivered.stream().map(f -> new JsonObject(f.text()).getString("body")).toList();
    }

    JsonObject lastReply() {
      return replies.get(replies.size() - 1);
    }
  }
}
