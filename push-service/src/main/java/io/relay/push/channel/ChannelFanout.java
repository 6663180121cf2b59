package io.relay.push.channel;

import io.relay.push.session.CatchUpPacer;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This node's channel subscriptions: which connections want which channel. The node subscribes a
 * channel's pub/sub once, when its first member joins, and unsubscribes when the last one leaves;
 * a published frame is wrapped once and handed to every member. Used only from the push verticle's
 * event loop.
 */
public final class ChannelFanout {

  /** The node's pub/sub connection, as the fan-out needs it. */
  public interface Link {
    /** Subscribes {@code channel}'s live pub/sub; completes when Redis confirmed it. */
    Future<Void> subscribe(String channel);

    void unsubscribe(String channel);
  }

  /** One connection's subscription to one channel (or a held poll's to several). */
  public interface Member extends CatchUpPacer.Target {
    /** A frame published on the channel, shared with every other member. */
    void onLive(ChannelFrame frame);

    /**
     * The pub/sub link dropped: hold live frames back until the next {@link #catchUp()} has read
     * the history, since one delivered before could skip a missed one.
     */
    void holdLive();
  }

  private final Link link;
  private final Map<String, Members> channels = new HashMap<>();
  private int members;
  /** Between a pub/sub drop and the resubscribe: the cached arming of a channel no longer holds. */
  private boolean linkDown;

  public ChannelFanout(Link link) {
    this.link = link;
  }

  /** Adds {@code member}; completes when the channel's pub/sub is armed (at once if it already is). */
  Future<Void> join(String channel, Member member) {
    Members current = channels.get(channel);
    if (current == null) {
      current = new Members();
      channels.put(channel, current);
      current.armed = link.subscribe(channel);
    }
    if (current.add(member)) {
      members++;
      if (linkDown) {
        member.holdLive(); // it reads the history again once the link is back, with the others
      }
    }
    return current.armed;
  }

  /** Removes {@code member}; the last one to leave unsubscribes the channel. */
  void leave(String channel, Member member) {
    Members current = channels.get(channel);
    if (current == null || !current.remove(member)) {
      return;
    }
    members--;
    if (current.set.isEmpty()) {
      channels.remove(channel);
      link.unsubscribe(channel);
    }
  }

  /** A frame published on {@code channel}: wrapped once, delivered to every member. */
  public void onPublished(String channel, String text) {
    Members current = channels.get(channel);
    if (current == null) {
      return;
    }
    ChannelFrame frame = ChannelFrame.published(text);
    // The members as of now: one may leave while it is handed the frame (closed as too slow).
    for (Member member : current.snapshot()) {
      member.onLive(frame);
    }
  }

  /** The pub/sub link dropped: every member (and every one joining meanwhile) holds live frames back. */
  public void linkDropped() {
    linkDown = true;
    members().forEach(Member::holdLive);
  }

  /** The link is back and every channel resubscribed: the members may now catch up. */
  public void linkRestored() {
    linkDown = false;
  }

  /** Every member now, once each: what must catch up after a pub/sub outage. */
  public List<Member> members() {
    Set<Member> all = new LinkedHashSet<>();
    channels.values().forEach(current -> all.addAll(current.set));
    return new ArrayList<>(all);
  }

  /** Channels this node subscribes now. */
  public int channels() {
    return channels.size();
  }

  /** Connection subscriptions to channels held on this node now. */
  public int subscriptions() {
    return members;
  }

  /**
   * A channel's members, with an array of them that publishes iterate: built on the first publish
   * after a join or leave, not per message, and never changed, so members may leave mid-iteration.
   */
  private static final class Members {
    private static final Member[] NONE = new Member[0];
    private final Set<Member> set = new LinkedHashSet<>();
    private Member[] snapshot = NONE;
    private boolean stale;
    private Future<Void> armed;

    boolean add(Member member) {
      boolean added = set.add(member);
      stale |= added;
      return added;
    }

    boolean remove(Member member) {
      boolean removed = set.remove(member);
      stale |= removed;
      return removed;
    }

    Member[] snapshot() {
      if (stale) {
        snapshot = set.toArray(NONE);
        stale = false;
      }
      return snapshot;
    }
  }
}
