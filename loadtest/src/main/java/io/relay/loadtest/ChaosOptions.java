package io.relay.loadtest;

/**
 * Settings of a chaos run.
 *
 * @param clients     WebSocket clients, one user each (default 20)
 * @param rate        messages per second posted in total, through all ingest nodes (default 50)
 * @param durationSec how long traffic and faults go on (default 60)
 * @param faultEverySec mean seconds between two faults (default 6)
 * @param settleSec   longest wait after the run for the last deliveries (default 30)
 * @param seed        random seed, printed so a run can be repeated (default: time-based)
 */
public record ChaosOptions(int clients, int rate, int durationSec, int faultEverySec, int settleSec, long seed) {

  public ChaosOptions {
    if (clients < 2 || rate < 1 || durationSec < 1 || faultEverySec < 1 || settleSec < 1) {
      throw new IllegalArgumentException("clients >= 2 and every other option >= 1");
    }
  }
}
