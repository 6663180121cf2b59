package io.relay.e2e;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A real WebSocket client (Vert.x) that records every frame it receives and how it was closed. */
final class WsClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private volatile Short closeCode;

  private WsClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
    socket.closeHandler(v -> closeCode = socket.closeStatusCode() == null ? -1 : socket.closeStatusCode());
  }

  static WsClient connect(Vertx vertx, int port, String uri) {
    return connecting(vertx, port, uri).await();
  }

  static WsClient connect(Vertx vertx, WebSocketConnectOptions options) {
    return connecting(vertx, options).await();
  }

  /** Starts a connect without waiting: the future completes at the upgrade, or fails with its refusal. */
  static Future<WsClient> connecting(Vertx vertx, int port, String uri) {
    return connecting(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)
        .setAllowOriginHeader(false));
  }

  /**
   * Installs the handlers on a socket that is not connected yet, so no frame (hello first of all)
   * can arrive before them, whichever thread completes the upgrade.
   */
  private static Future<WsClient> connecting(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20));
    ClientWebSocket socket = client.webSocket();
    WsClient ws = new WsClient(client, socket);
    return socket.connect(options).map(connected -> ws).onFailure(e -> client.close());
  }

  /** Waits for hello and returns it. */
  JsonObject hello() {
    return awaitFrame("hello", frame -> "hello".equals(frame.getString("type")));
  }

  /** Waits for the first frame matching {@code test}. */
  JsonObject awaitFrame(String what, Predicate<JsonObject> test) {
    Awaitility.await().alias(what).atMost(WAIT).until(() -> frames.stream().anyMatch(test));
    return frames.stream().filter(test).findFirst().orElseThrow();
  }

  /** Waits until {@code count} message frames arrived and returns them, in arrival order. */
  List<JsonObject> awaitMessages(int count) {
    try {
      Awaitility.await().atMost(WAIT).until(() -> messages().size() >= count);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("expected " + count + " messages, got " + messages().size() + "; close code "
          + closeCode + "; frames: " + summary(), e);
    }
    return messages();
  }

  /** The types and bodies of what arrived, for failure messages. */
  private String summary() {
    return frames.stream().map(f -> f.getString("type") + ":" + f.getValue("body", "")).toList().toString();
  }

  List<JsonObject> messages() {
    return frames.stream().filter(f -> "message".equals(f.getString("type"))).toList();
  }

  List<JsonObject> frames() {
    return List.copyOf(frames);
  }

  void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode()).await();
  }

  void sendText(String text) {
    socket.writeTextMessage(text).await();
  }

  WebSocket socket() {
    return socket;
  }

  /** Waits for the server to close the connection and returns the close code. */
  short awaitClose() {
    Awaitility.await().alias("close").atMost(WAIT).until(() -> closeCode != null);
    return closeCode;
  }

  Short closeCode() {
    return closeCode;
  }

  @Override
  public void close() {
    if (closeCode == null) {
      socket.close().await();
    }
    client.close();
  }
}
