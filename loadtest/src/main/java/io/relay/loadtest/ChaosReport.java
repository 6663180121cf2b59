package io.relay.loadtest;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a chaos run proved. {@code lost} counts (message, device) pairs owed but never delivered;
 * {@code duplicates} counts repeats, which clients remove by {@code id} (after that, zero).
 */
public record ChaosReport(long seed, int clients, long acked, long attempts, long retries, long unavailable,
    long failedConnections, long expectedDeliveries, long lost, long duplicates, long orderViolations,
    Map<String, Long> faults, Map<Integer, Long> closeCodes, long p50DelayMs, long p99DelayMs, long maxDelayMs,
    long maxDelayAfterFaultMs) {

  public boolean passed() {
    return acked > 0 && lost == 0 && orderViolations == 0;
  }

  void print(PrintStream out) {
    out.println();
    out.println("=== chaos run summary (seed " + seed + ") ===");
    row(out, "clients", clients);
    row(out, "messages answered 2xx", acked);
    row(out, "POST attempts / retries", attempts + " / " + retries);
    row(out, "  answered 503 / no answer", unavailable + " / " + failedConnections);
    row(out, "deliveries owed (msg x device)", expectedDeliveries);
    row(out, "LOST", lost);
    row(out, "duplicates (removed by id)", duplicates);
    row(out, "order violations", orderViolations);
    row(out, "faults injected", faults.values().stream().mapToLong(Long::longValue).sum());
    faults.forEach((kind, count) -> row(out, "  " + kind, count));
    row(out, "client closes by code", closeCodes);
    row(out, "delivery delay p50 / p99 / max", p50DelayMs + " / " + p99DelayMs + " / " + maxDelayMs + " ms");
    row(out, "max delay, sent <10 s after a fault", maxDelayAfterFaultMs + " ms");
    out.println("RESULT: " + (passed() ? "PASS (nothing lost, order kept)" : "FAIL"));
  }

  private static void row(PrintStream out, String name, Object value) {
    out.printf("  %-36s %s%n", name, value);
  }
}
