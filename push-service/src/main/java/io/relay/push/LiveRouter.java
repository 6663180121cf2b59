package io.relay.push;

import io.relay.model.LogEntry;
import io.relay.model.RedisKeys;
import io.relay.push.channel.ChannelFanout;
import io.relay.push.live.LiveSubscriber;
import io.relay.push.live.NodePayload;
import io.relay.push.session.CatchUpPacer;
import io.relay.push.session.ConnectionRegistry;
import io.relay.push.session.Session;
import io.relay.service.RelayMetrics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what the pub/sub connection brings to this node's sessions: a user's channel (direct
 * messages, receipts, room creation events, transient frames) to that user's sessions; the
 * node's own channel (room entries, routed here by the members' bindings) to the sessions of
 * each user listed, with that user's seq, or as a transient frame (room typing) without one. Both go through the same ordering and dedup path
 * ({@link Session#onLive}). A channel's frames go to the channel fan-out. After a pub/sub outage
 * every session and channel subscription holds live entries back until it has caught up from its
 * log or history, paced.
 */
final class LiveRouter implements LiveSubscriber.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(LiveRouter.class);

  private final String nodeChannel;
  private final ConnectionRegistry registry;
  private final ChannelFanout fanout;
  private final CatchUpPacer pacer;
  private final RelayMetrics metrics;

  LiveRouter(String nodeChannel, ConnectionRegistry registry, ChannelFanout fanout, CatchUpPacer pacer,
      RelayMetrics metrics) {
    this.nodeChannel = nodeChannel;
    this.registry = registry;
    this.fanout = fanout;
    this.pacer = pacer;
    this.metrics = metrics;
  }

  @Override
  public void onMessage(String channel, String payload) {
    if (channel.equals(nodeChannel)) {
      onRouted(payload);
      return;
    }
    String uid = RedisKeys.uidOfLiveChannel(channel);
    if (uid != null) {
      onUserFrame(uid, payload);
      return;
    }
    String named = RedisKeys.channelOfLive(channel);
    if (named != null) {
      metrics.liveReceived.increment();
      fanout.onPublished(named, payload);
    }
  }

  /** Until its catch-up has read the log, no session may deliver a live entry: it could skip a missed one. */
  @Override
  public void onDropped() {
    registry.all().forEach(Session::holdLive);
    fanout.linkDropped();
  }

  @Override
  public void onResubscribed() {
    pacer.catchUp(registry.all());
    fanout.linkRestored();
    pacer.catchUp(fanout.members());
  }

  private void onRouted(String payload) {
    NodePayload routed;
    try {
      routed = NodePayload.parse(payload);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignored a malformed message on {}: {}", nodeChannel, e.getMessage());
      return;
    }
    for (NodePayload.Recipient recipient : routed.recipients()) { // this node's members of the room: up to M
      metrics.liveReceived.increment();
      List<Session> sessions = registry.sessionsOf(recipient.uid());
      if (routed.isTransient()) {
        sessions.forEach(session -> session.onTransient(routed.json()));
      } else if (!sessions.isEmpty()) {
        LogEntry entry = new LogEntry(recipient.seq(), routed.json()); // one frame per member: its own seq
        sessions.forEach(session -> session.onLive(entry));
      }
    }
  }

  private void onUserFrame(String uid, String frame) {
    metrics.liveReceived.increment();
    List<Session> sessions = registry.sessionsOf(uid);
    if (sessions.isEmpty()) {
      return;
    }
    if (!frame.startsWith(LogEntry.FRAME_HEAD)) {
      // A transient frame: not in the log, so no seq, ordering or replay; straight to the sockets.
      sessions.forEach(session -> session.onTransient(frame));
      return;
    }
    LogEntry entry = LogEntry.fromFrame(frame);
    sessions.forEach(session -> session.onLive(entry));
  }
}
