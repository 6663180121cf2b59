package io.relay.push;

import io.relay.service.Env;
import io.relay.service.SharedConfig;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the push-service.
 *
 * @param shared        the settings both services read (see {@link SharedConfig})
 * @param port          {@code RELAY_PUSH_PORT}, default 8081 (0 picks a free port)
 * @param heartbeatSec  {@code RELAY_HEARTBEAT_SEC}, default 25: ping interval; silence for twice
 *                      this closes a connection, and bindings expire after twice this
 * @param sendQueueMax  {@code RELAY_SEND_QUEUE_MAX}, default 1000: frames waiting to be written to
 *                      one connection before it is closed with 4008
 * @param sendQueueBytes {@code RELAY_SEND_QUEUE_BYTES}, default 1048576 (1 MiB): bytes waiting to
 *                      be written to one connection before it is closed with 4008; whichever of
 *                      the two bounds is passed first closes it
 * @param maxFrameBytes {@code RELAY_MAX_FRAME}, default 65536: largest client frame (bigger → 1009)
 * @param demoIngestUrl {@code RELAY_DEMO_INGEST_URL}, dev mode only: the ingest-service as the demo
 *                      page's browser reaches it; default none (the page uses its own host, port 8080)
 * @param maxChannelsPerConn {@code RELAY_MAX_CHANNELS_PER_CONN}, default 100: channels one connection
 *                      may be subscribed to at once (more → {@code error} {@code rate_limited})
 * @param maxConnsPerUser {@code RELAY_MAX_CONNS_PER_USER}, default 32: open WebSocket, SSE and held
 *                      long-poll connections of one user on all nodes together; the next one is
 *                      answered {@code 429 rate_limited} before any upgrade (0: no limit)
 * @param framesPerSec  {@code RELAY_RATE_FRAMES_PER_SEC}, default 50: client frames one connection
 *                      may send a second (burst as many); more get an {@code error} frame
 *                      {@code rate_limited} and are not acted on (0: no limit)
 * @param setupConcurrency {@code RELAY_SETUP_CONCURRENCY}, default 64: connection set-ups (binding,
 *                      cursor, replay read) one event loop runs at once; the rest wait their turn
 * @param setupQueue    {@code RELAY_SETUP_QUEUE}, default 10000: handshakes one event loop keeps
 *                      waiting for their set-up; the next one is answered {@code 503 unavailable}
 *                      with {@code Retry-After} (see docs/operations.md#admission)
 */
public record PushConfig(SharedConfig shared, int port, int heartbeatSec, int sendQueueMax, int sendQueueBytes,
    int maxFrameBytes, String demoIngestUrl, int maxChannelsPerConn, int maxConnsPerUser, int framesPerSec,
    int setupConcurrency, int setupQueue) {

  public static PushConfig fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    return new PushConfig(SharedConfig.fromEnv(environment),
        env.integer("RELAY_PUSH_PORT", 8081, 0, 65535),
        env.integer("RELAY_HEARTBEAT_SEC", 25, 1, 3600),
        env.integer("RELAY_SEND_QUEUE_MAX", 1000, 10, 1_000_000),
        env.integer("RELAY_SEND_QUEUE_BYTES", 1024 * 1024, 1024, 1024 * 1024 * 1024),
        env.integer("RELAY_MAX_FRAME", 64 * 1024, 256, 16 * 1024 * 1024),
        env.string("RELAY_DEMO_INGEST_URL", null),
        env.integer("RELAY_MAX_CHANNELS_PER_CONN", 100, 1, 10_000),
        env.integer("RELAY_MAX_CONNS_PER_USER", 32, 0, 1_000_000),
        env.integer("RELAY_RATE_FRAMES_PER_SEC", 50, 0, 1_000_000),
        env.integer("RELAY_SETUP_CONCURRENCY", 64, 1, 100_000),
        env.integer("RELAY_SETUP_QUEUE", 10_000, 0, 1_000_000));
  }

  public long heartbeatMillis() {
    return heartbeatSec * 1000L;
  }

  /**
   * What the server buffers at most for one client frame. Frames between {@link #maxFrameBytes}
   * and this cap are read and closed with 1009; beyond it Netty drops the connection unread.
   */
  public int hardFrameCapBytes() {
    return maxFrameBytes * 4;
  }

  /** How long a connection may be silent, and how long a binding lives without a refresh. */
  public long livenessMillis() {
    return 2 * heartbeatMillis();
  }

  /** Every environment variable this service reads (shared ones included), for checks of deploy files and docs. */
  public static Set<String> variables() {
    return Env.namesReadBy(PushConfig::fromEnv);
  }
}
