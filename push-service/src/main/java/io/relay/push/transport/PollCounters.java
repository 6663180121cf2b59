package io.relay.push.transport;

import io.relay.service.RelayMetrics;

/**
 * Node-wide counts of held long-polls and of their pending timers, exported as the gauges
 * {@code relay_polls_held} and {@code relay_poll_timers}: both return to 0 when no poll is held,
 * which is how a leak would show. Used only from the push verticle's event loop.
 */
final class PollCounters {

  private int held;
  private int timers;

  PollCounters(RelayMetrics metrics) {
    metrics.gauge("relay.polls.held", "long-poll requests held open on this node", () -> held);
    metrics.gauge("relay.poll.timers", "pending timers of held long-polls on this node", () -> timers);
  }

  void held() {
    held++;
  }

  void answered() {
    held--;
  }

  void timerSet() {
    timers++;
  }

  void timerGone() {
    timers--;
  }
}
