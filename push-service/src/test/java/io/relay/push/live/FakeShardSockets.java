package io.relay.push.live;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** {@link ShardSockets} the test drives: records what is sent per node and replies by hand. */
final class FakeShardSockets implements ShardSockets {

  /** The socket opened last to each endpoint. */
  final Map<String, FakeSocket> sockets = new LinkedHashMap<>();
  Set<String> unreachable = Set.of();
  private final Map<String, Promise<FakeSocket>> awaited = new HashMap<>();

  @Override
  public Future<Socket> open(String endpoint, Consumer<Reply> replies, Consumer<String> lost) {
    if (unreachable.contains(endpoint)) {
      return Future.failedFuture("connection refused");
    }
    FakeSocket socket = new FakeSocket(replies, lost);
    sockets.put(endpoint, socket);
    Promise<FakeSocket> waiting = awaited.remove(endpoint);
    if (waiting != null) {
      // On the next turn: the connection sends its SSUBSCRIBEs right after opening the socket.
      Vertx.currentContext().runOnContext(v -> waiting.complete(socket));
    }
    return Future.succeededFuture(socket);
  }

  /** The next socket opened to {@code endpoint}, once it has sent what it sends at once (on an event loop). */
  Future<FakeSocket> nextOpened(String endpoint) {
    return awaited.computeIfAbsent(endpoint, e -> Promise.promise()).future();
  }

  static final class FakeSocket implements Socket {
    final List<String> sent = new ArrayList<>();
    final Consumer<Reply> replies;
    final Consumer<String> lost;
    boolean closed;

    FakeSocket(Consumer<Reply> replies, Consumer<String> lost) {
      this.replies = replies;
      this.lost = lost;
    }

    @Override
    public void send(Command command, List<String> args) {
      sent.add(command.toString().toUpperCase() + " " + String.join(" ", args));
    }

    @Override
    public void close() {
      closed = true;
    }

    void reply(String kind, String channel, String payload) {
      replies.accept(new Reply(kind, channel, payload));
    }
  }
}
