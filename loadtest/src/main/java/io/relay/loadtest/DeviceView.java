package io.relay.loadtest;

import io.relay.model.Seq;
import java.util.HashMap;
import java.util.Map;

/**
 * One device's view of its user's log: each id with when it first arrived, repeats (allowed by
 * at-least-once, removed by de-duplication on {@code id}), and order violations (a new id at or
 * before a seq already seen: never allowed).
 */
final class DeviceView {

  private final Map<String, Long> firstSeen = new HashMap<>();
  private Seq last = Seq.ZERO;
  private long duplicates;
  private long orderViolations;

  /** Records a message frame; returns the seq to resume from. */
  synchronized Seq receive(String id, Seq seq, long nanos) {
    if (firstSeen.containsKey(id)) {
      duplicates++;
      return last;
    }
    if (!seq.isAfter(last)) {
      orderViolations++;
    }
    firstSeen.put(id, nanos);
    last = seq.isAfter(last) ? seq : last;
    return last;
  }

  synchronized Seq last() {
    return last;
  }

  synchronized boolean has(String id) {
    return firstSeen.containsKey(id);
  }

  synchronized Long firstSeen(String id) {
    return firstSeen.get(id);
  }

  synchronized long duplicates() {
    return duplicates;
  }

  synchronized long orderViolations() {
    return orderViolations;
  }

  synchronized int received() {
    return firstSeen.size();
  }
}
