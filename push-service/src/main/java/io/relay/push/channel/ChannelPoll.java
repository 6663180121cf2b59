package io.relay.push.channel;

import io.relay.model.ChannelEntry;
import io.relay.model.Seq;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The channel part of one long-poll: where each channel's answer starts (the offset given, else
 * the newest at the time of the request), one page of each after it, and while the poll is held,
 * a wake-up when any of its channels gets a stored message. Only stored messages travel by
 * long-poll: a transient one has no offset to resume from.
 */
public final class ChannelPoll implements ChannelFanout.Member {

  private final ChannelFanout fanout;
  private final ChannelReader history;
  private final Map<String, Seq> starts;
  private final int limit;
  private Runnable wake = () -> { };
  private boolean joined;

  private ChannelPoll(ChannelServices services, Map<String, Seq> starts, int limit) {
    this.fanout = services.fanout();
    this.history = services.history();
    this.starts = starts;
    this.limit = limit;
  }

  /** Resolves where each channel's answer starts: the offset given, else its newest offset. */
  public static Future<ChannelPoll> start(ChannelServices services, Map<String, Seq> requested, int limit) {
    Map<String, Future<Seq>> resolving = new LinkedHashMap<>();
    requested.forEach((channel, offset) -> resolving.put(channel, offset != null ? Future.succeededFuture(offset)
        : services.history().newest(channel).map(newest -> newest == null ? Seq.ZERO : newest)));
    return Future.all(new ArrayList<>(resolving.values())).map(all -> {
      Map<String, Seq> starts = new LinkedHashMap<>();
      resolving.forEach((channel, offset) -> starts.put(channel, offset.result()));
      return new ChannelPoll(services, starts, limit);
    });
  }

  /** One page of every channel after its start; channels without news map to an empty list. */
  public Future<Map<String, List<ChannelEntry>>> read() {
    Map<String, Future<List<ChannelEntry>>> reads = new LinkedHashMap<>();
    starts.forEach((channel, after) -> reads.put(channel, history.after(channel, after, limit)));
    return Future.all(new ArrayList<>(reads.values())).map(all -> {
      Map<String, List<ChannelEntry>> found = new LinkedHashMap<>();
      reads.forEach((channel, page) -> found.put(channel, page.result()));
      return found;
    });
  }

  /** Subscribes every channel for the held poll; completes when all are armed. */
  public Future<Void> hold(Runnable onMessage) {
    wake = onMessage;
    joined = true;
    List<Future<Void>> armed = new ArrayList<>();
    starts.keySet().forEach(channel -> armed.add(fanout.join(channel, this)));
    return Future.all(armed).mapEmpty();
  }

  /** Gives back every subscription of the held poll (once). */
  public void release() {
    if (joined) {
      joined = false;
      starts.keySet().forEach(channel -> fanout.leave(channel, this));
    }
  }

  @Override
  public void onLive(ChannelFrame frame) {
    if (frame.isStored()) {
      wake.run();
    }
  }

  /** Nothing to hold: a poll answers from the history, never from a live frame. */
  @Override
  public void holdLive() {
  }

  @Override
  public Future<Void> catchUp() {
    wake.run();
    return Future.succeededFuture();
  }

  /** True when some channel has a message in {@code found}. */
  public static boolean anyFound(Map<String, List<ChannelEntry>> found) {
    return found.values().stream().anyMatch(page -> !page.isEmpty());
  }

  /**
   * {@code {"<name>":{"messages":[…frames…],"next":"<offset>"},…}}: the frames are byte-identical
   * to the WebSocket's; {@code next} is the last one's offset, or the start when there are none.
   */
  public String json(Map<String, List<ChannelEntry>> found) {
    return starts.entrySet().stream().map(start -> {
      List<ChannelEntry> page = found.getOrDefault(start.getKey(), List.of());
      Seq next = page.isEmpty() ? start.getValue() : page.get(page.size() - 1).offset();
      String messages = page.stream().map(ChannelEntry::frame).collect(Collectors.joining(",", "[", "]"));
      return "\"" + start.getKey() + "\":{\"messages\":" + messages + ",\"next\":\"" + next + "\"}";
    }).collect(Collectors.joining(",", "{", "}"));
  }
}
