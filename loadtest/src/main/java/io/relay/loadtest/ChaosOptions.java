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

  static final String HELP = """
      chaos: starts Redis, 2 ingest and 2 push nodes, connects clients, posts while injecting faults
        --clients=20       WebSocket clients (one user each)
        --rate=50          messages per second, in total
        --duration=60      seconds of traffic and faults
        --fault-every=6    mean seconds between faults
        --settle=30        longest wait for the last deliveries after the run
        --seed=<n>         random seed (printed at start; reuse it to repeat a run)
      Exit status 0 when every 2xx message reached every device in order, 1 otherwise.""";

  public ChaosOptions {
    if (clients < 2 || rate < 1 || durationSec < 1 || faultEverySec < 1 || settleSec < 1) {
      throw new IllegalArgumentException("clients >= 2 and every other option >= 1");
    }
  }

  public static ChaosOptions parse(String[] args) {
    Args a = new Args(args, "clients", "rate", "duration", "fault-every", "settle", "seed");
    return new ChaosOptions(a.integer("clients", 20), a.integer("rate", 50), a.integer("duration", 60),
        a.integer("fault-every", 6), a.integer("settle", 30), a.longValue("seed", System.nanoTime()));
  }
}
