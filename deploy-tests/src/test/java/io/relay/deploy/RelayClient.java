package io.relay.deploy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Plain JDK HTTP and WebSocket calls to Relay, through whatever base URL is given (a node or HAProxy). */
final class RelayClient {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  RelayClient(String base) {
    this.base = base;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> getWithKey(String path, String apiKey) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("X-Api-Key", apiKey).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String header, String value, JsonObject body)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header(header, value).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  String token(String apiKey, String uid) throws IOException, InterruptedException {
    HttpResponse<String> response = post("/v1/tokens", "X-Api-Key", apiKey, new JsonObject().put("uid", uid));
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw new IllegalStateException("token for " + uid + ": " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body()).getString("token");
  }

  /** Sends a direct message as the token's user; returns the answer's status. */
  int send(String token, String to, String text) throws IOException, InterruptedException {
    return post("/v1/messages", "Authorization", "Bearer " + token,
        new JsonObject().put("to", to).put("body", new JsonObject().put("text", text)).put("clientMsgId", text))
        .statusCode();
  }

  /** Opens a WebSocket on {@code /v1/ws} and collects its frames and its close code. */
  Socket connect(String token, String since) {
    String ws = base.replaceFirst("^http", "ws") + "/v1/ws?token=" + token + (since == null ? "" : "&since=" + since);
    Socket socket = new Socket();
    socket.webSocket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(ws), socket).orTimeout(10, TimeUnit.SECONDS).join();
    return socket;
  }

  /** A client socket: every text frame as JSON, in arrival order; the close code once closed. */
  static final class Socket implements WebSocket.Listener {

    final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket webSocket;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1); // dropped without a close frame (e.g. the node was killed)
    }

    boolean helloReceived() {
      return frames.stream().anyMatch(f -> "hello".equals(f.getString("type")));
    }

    List<JsonObject> messages() {
      return frames.stream().filter(f -> "message".equals(f.getString("type"))).toList();
    }

    void close() {
      if (!closed.isDone()) {
        webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
      }
      webSocket.abort();
    }
  }
}
