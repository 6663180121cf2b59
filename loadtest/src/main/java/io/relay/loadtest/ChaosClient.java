package io.relay.loadtest;

import io.relay.model.Seq;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A device as a well-behaved client app runs it: connects to a push node, resumes from the last
 * seq it saw, acks now and then, and reconnects after any close — at once after 1012, else with
 * exponential backoff and full jitter — to a random node.
 */
final class ChaosClient {

  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 3_000;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final String uid;
  private final String token;
  private final Supplier<List<Integer>> pushPorts;
  private final DeviceView view;
  private final Random random;
  private final Map<Integer, AtomicLong> closeCodes;
  private volatile WebSocket socket;
  private volatile boolean stopped;
  private long backoffMs = MIN_BACKOFF_MS;
  private int sinceAck;

  ChaosClient(Vertx vertx, WebSocketClient client, String uid, String token, Supplier<List<Integer>> pushPorts,
      DeviceView view, Random random, Map<Integer, AtomicLong> closeCodes) {
    this.vertx = vertx;
    this.client = client;
    this.uid = uid;
    this.token = token;
    this.pushPorts = pushPorts;
    this.view = view;
    this.random = random;
    this.closeCodes = closeCodes;
  }

  String uid() {
    return uid;
  }

  boolean isConnected() {
    return socket != null;
  }

  void connect() {
    if (stopped) {
      return;
    }
    List<Integer> ports = pushPorts.get();
    int port = ports.get(random.nextInt(ports.size()));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/v1/ws?token=" + token + "&since=" + view.last()).setAllowOriginHeader(false);
    client.connect(options).map(this::opened).onFailure(e -> retryLater());
  }

  private WebSocket opened(WebSocket ws) {
    socket = ws;
    ws.textMessageHandler(this::onFrame);
    ws.closeHandler(v -> closed(ws.closeStatusCode() == null ? 1006 : ws.closeStatusCode()));
    ws.exceptionHandler(e -> { });
    return ws;
  }

  private void onFrame(String text) {
    JsonObject frame = new JsonObject(text);
    String type = frame.getString("type");
    if ("hello".equals(type)) {
      backoffMs = MIN_BACKOFF_MS;
    } else if ("message".equals(type)) {
      Seq last = view.receive(frame.getString("id"), Seq.parse(frame.getString("seq")), System.nanoTime());
      if (++sinceAck >= 25) {
        sinceAck = 0;
        socket.writeTextMessage(new JsonObject().put("type", "ack").put("seq", last.toString()).encode());
      }
    }
  }

  private void closed(int code) {
    socket = null;
    closeCodes.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
    if (code == 1012) {
      connect();
    } else {
      retryLater();
    }
  }

  private void retryLater() {
    if (stopped) {
      return;
    }
    long delay = 1 + (long) (random.nextDouble() * backoffMs);
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, id -> connect());
  }

  /** Stops reading for a while, as a phone in a tunnel or a busy tab would. */
  void stall(long millis) {
    WebSocket ws = socket;
    if (ws != null) {
      ws.pause();
      vertx.setTimer(millis, id -> ws.resume());
    }
  }

  void stop() {
    stopped = true;
    WebSocket ws = socket;
    if (ws != null) {
      ws.close();
    }
  }

  static Map<Integer, AtomicLong> newCloseCounts() {
    return new ConcurrentHashMap<>();
  }
}
