package io.relay.push.live;

import io.relay.model.HashSlot;
import io.relay.service.ShardMap;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One logical pub/sub connection to a Redis Cluster for {@link LiveSubscriber}: a subscriber
 * connection per primary that serves a channel wanted here, opened when the first such channel
 * is subscribed, each channel {@code SSUBSCRIBE}d on the primary of its hash slot (several in one
 * command only when they share a slot).
 *
 * <p>Routed by one {@link ShardMap} for its whole life. Any sign that the map is out of date ends
 * it all at once, so the subscriber reconnects with a fresh map, resubscribes everything and
 * catches up from the logs: a node connection lost, an error reply ({@code MOVED} after a
 * failover or a resharding), a {@code sunsubscribe} this side never asked for (Redis sends it when
 * the channel's slot moves away), or a node silent for {@value #SILENT_PROBES} probes while others
 * answer. Used from the subscriber's event loop only.
 */
final class ShardedConnection implements PubSubLink.Connection {

  static final int SILENT_PROBES = 3;

  private final ShardMap slots;
  private final ShardSockets sockets;
  private final PubSubLink.Events events;
  private final Map<String, Shard> shards = new LinkedHashMap<>();
  private boolean ended;

  ShardedConnection(ShardMap slots, ShardSockets sockets, PubSubLink.Events events) {
    this.slots = slots;
    this.sockets = sockets;
    this.events = events;
  }

  @Override
  public void subscribe(List<String> channels) {
    send(Command.SSUBSCRIBE, channels);
  }

  @Override
  public void unsubscribe(List<String> channels) {
    send(Command.SUNSUBSCRIBE, channels);
  }

  /** Probes every node; answered (to the subscriber) once all have answered. */
  @Override
  public void probe() {
    for (Shard shard : shards.values()) {
      if (shard.unanswered >= SILENT_PROBES) {
        end("no answer from " + shard.endpoint + " for " + SILENT_PROBES + " probes");
        return;
      }
    }
    shards.values().forEach(Shard::probe);
  }

  @Override
  public void close() {
    ended = true;
    shards.values().forEach(Shard::close);
  }

  /** Nodes this connection has opened (or is opening) a subscriber connection to. */
  int shards() {
    return shards.size();
  }

  private void send(Command command, List<String> channels) {
    if (ended) {
      return;
    }
    for (Map.Entry<String, List<String>> route : slots.groups(channels, HashSlot::of).entrySet()) {
      if (route.getKey() == null) {
        end("no primary serves the slot of " + route.getValue().get(0));
        return;
      }
      Shard shard = command == Command.SUNSUBSCRIBE ? shards.get(route.getKey())
          : shards.computeIfAbsent(route.getKey(), Shard::new);
      if (shard != null) { // no connection to that primary: nothing subscribed there to leave
        bySlot(route.getValue()).forEach(group -> shard.send(command, group));
      }
    }
  }

  /** One primary's channels grouped by slot: one SSUBSCRIBE may name several only when they share a slot. */
  static Collection<List<String>> bySlot(List<String> channels) {
    Map<Integer, List<String>> groups = new LinkedHashMap<>();
    channels.forEach(channel -> groups.computeIfAbsent(HashSlot.of(channel), s -> new ArrayList<>()).add(channel));
    return groups.values();
  }

  /** Ends every node connection and tells the subscriber once. */
  private void end(String why) {
    if (ended) {
      return;
    }
    close();
    events.onLost(why);
  }

  private void answered() {
    if (shards.values().stream().allMatch(shard -> shard.unanswered == 0)) {
      events.onProbeAnswered();
    }
  }

  /** The subscriber connection to one primary. */
  private final class Shard {

    private final String endpoint;
    private final Future<ShardSockets.Socket> socket;
    /** Channels this side asked to leave, per channel: their {@code sunsubscribe} is expected. */
    private final Map<String, Integer> leaving = new HashMap<>();
    private int unanswered;

    Shard(String endpoint) {
      this.endpoint = endpoint;
      this.socket = sockets.open(endpoint, this::onReply, why -> end(endpoint + ": " + why));
      socket.onFailure(e -> end("cannot reach " + endpoint + ": " + e.getMessage()));
    }

    void send(Command command, List<String> channels) {
      if (command == Command.SUNSUBSCRIBE) {
        channels.forEach(channel -> leaving.merge(channel, 1, Integer::sum));
      }
      socket.onSuccess(s -> {
        if (!ended) {
          s.send(command, channels);
        }
      });
    }

    void probe() {
      unanswered++;
      socket.onSuccess(s -> {
        if (!ended) {
          s.send(Command.UNSUBSCRIBE, List.of(RedisPubSubLink.PROBE_CHANNEL));
        }
      });
    }

    /** Closes the node connection, now or once it is open. */
    void close() {
      socket.onSuccess(ShardSockets.Socket::close);
    }

    private void onReply(ShardSockets.Reply reply) {
      if (ended) {
        return;
      }
      unanswered = 0; // anything at all shows the node alive
      switch (reply.kind()) {
        case "smessage" -> events.onMessage(reply.channel(), reply.payload());
        case "ssubscribe" -> events.onSubscribed(reply.channel());
        case "sunsubscribe" -> left(reply.channel());
        case "unsubscribe" -> {
          if (RedisPubSubLink.PROBE_CHANNEL.equals(reply.channel())) {
            answered();
          }
        }
        case "error" -> end(endpoint + " answered " + reply.payload());
        default -> {
        }
      }
    }

    /** Our own unsubscribe confirmed, or Redis dropping a channel whose slot moved away. */
    private void left(String channel) {
      Integer expected = leaving.get(channel);
      if (expected == null) {
        end("the slot of " + channel + " moved away from " + endpoint);
      } else if (expected > 1) {
        leaving.put(channel, expected - 1);
      } else {
        leaving.remove(channel);
      }
    }
  }
}
