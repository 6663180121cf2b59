package io.relay.push.live;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link PubSubLink} the test drives: it confirms, publishes, answers probes and drops by hand. */
final class FakeLink implements PubSubLink {

  final List<FakeConnection> connections = new ArrayList<>();
  private final Map<Integer, Promise<FakeConnection>> awaited = new HashMap<>();

  @Override
  public Future<Connection> connect(Events events) {
    FakeConnection connection = new FakeConnection(this, connections.size(), events);
    connections.add(connection);
    return Future.succeededFuture(connection);
  }

  @Override
  public void close() {
  }

  /** The {@code index}th connection opened (0 first), once it has sent its first SUBSCRIBE. */
  Future<FakeConnection> connection(int index) {
    if (index < connections.size() && !connections.get(index).subscribed.isEmpty()) {
      return Future.succeededFuture(connections.get(index));
    }
    return awaited.computeIfAbsent(index, i -> Promise.promise()).future();
  }

  private void subscribing(FakeConnection connection) {
    Promise<FakeConnection> waiting = awaited.remove(connection.index);
    if (waiting != null) {
      waiting.complete(connection);
    }
  }

  static final class FakeConnection implements Connection {
    final List<List<String>> subscribed = new ArrayList<>();
    final List<List<String>> unsubscribed = new ArrayList<>();
    private final FakeLink link;
    private final int index;
    private final Events events;
    int probes;
    boolean closed;

    FakeConnection(FakeLink link, int index, Events events) {
      this.link = link;
      this.index = index;
      this.events = events;
    }

    @Override
    public void subscribe(List<String> channels) {
      subscribed.add(List.copyOf(channels));
      if (subscribed.size() == 1) {
        link.subscribing(this);
      }
    }

    @Override
    public void unsubscribe(List<String> channels) {
      unsubscribed.add(List.copyOf(channels));
    }

    @Override
    public void probe() {
      probes++;
    }

    @Override
    public void close() {
      closed = true;
    }

    void confirm(String... channels) {
      for (String channel : channels) {
        events.onSubscribed(channel);
      }
    }

    void publish(String channel, String payload) {
      events.onMessage(channel, payload);
    }

    void answerProbe() {
      events.onProbeAnswered();
    }

    void drop() {
      events.onLost("dropped by the test");
    }
  }
}
