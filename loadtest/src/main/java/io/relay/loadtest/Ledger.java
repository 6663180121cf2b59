package io.relay.loadtest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the run promised (messages answered 2xx) and what each user's device saw. */
final class Ledger {

  /** A message the ingest-service acknowledged: it must reach both {@code from} and {@code to}. */
  record Acked(String id, String from, String to, long ackedAtNanos) {
    List<String> audience() {
      return from.equals(to) ? List.of(to) : List.of(from, to);
    }
  }

  private final Map<String, Acked> acked = new ConcurrentHashMap<>();
  private final Map<String, DeviceView> devices = new ConcurrentHashMap<>();

  void acked(Acked message) {
    acked.putIfAbsent(message.id(), message);
  }

  DeviceView device(String uid) {
    return devices.computeIfAbsent(uid, u -> new DeviceView());
  }

  Collection<Acked> allAcked() {
    return acked.values();
  }

  Collection<DeviceView> devices() {
    return devices.values();
  }

  int ackedCount() {
    return acked.size();
  }

  /** Deliveries still owed: for every acknowledged message, each audience member not yet reached. */
  long missing() {
    return acked.values().stream()
        .mapToLong(m -> m.audience().stream().filter(uid -> !device(uid).has(m.id())).count())
        .sum();
  }

  long expectedDeliveries() {
    return acked.values().stream().mapToLong(m -> m.audience().size()).sum();
  }
}
