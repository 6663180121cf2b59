package io.relay.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real Server-Sent Events client (Vert.x {@link HttpClient}) that parses the stream as a browser
 * would: records each event, each comment line, the response head, and whether the stream ended.
 */
final class SseClient implements AutoCloseable {

  /** One dispatched event; {@code id} is null when the event carried none. */
  record Event(String name, String id, String data) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient client;
  private final HttpClientResponse response;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private final Buffer body = Buffer.buffer();
  private String name;
  private String id;
  private StringBuilder data;
  private volatile boolean ended;

  private SseClient(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
  }

  static SseClient connect(Vertx vertx, int port, String uri, Map<String, String> headers) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(uri);
    headers.forEach(options::addHeader);
    SseClient[] holder = new SseClient[1];
    client.request(options)
        .compose(request -> request.send())
        // Handlers are set on the event loop as the head arrives, so no chunk can slip past them.
        .map(response -> {
          SseClient sse = new SseClient(client, response);
          response.handler(sse::onChunk);
          response.endHandler(v -> sse.ended = true);
          response.exceptionHandler(e -> sse.ended = true);
          holder[0] = sse;
          return sse;
        }).await();
    return holder[0];
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.getHeader(name);
  }

  /** The whole body of a refused request (a docs/protocol.md#errors error), once it ended. */
  JsonObject errorBody() {
    Awaitility.await().alias("error body").atMost(WsClient.WAIT).until(() -> ended);
    synchronized (body) {
      return body.toJsonObject();
    }
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  List<Event> messages() {
    return events.stream().filter(e -> "message".equals(e.name())).toList();
  }

  List<String> comments() {
    return List.copyOf(comments);
  }

  boolean ended() {
    return ended;
  }

  Event awaitEvent(String what, Predicate<Event> test) {
    Awaitility.await().alias(what).atMost(WsClient.WAIT).until(() -> events.stream().anyMatch(test));
    return events.stream().filter(test).findFirst().orElseThrow();
  }

  Event hello() {
    return awaitEvent("hello", e -> "hello".equals(e.name()));
  }

  List<Event> awaitMessages(int count) {
    Awaitility.await().alias(count + " messages").atMost(WsClient.WAIT).until(() -> messages().size() >= count);
    return messages();
  }

  private void onChunk(Buffer chunk) {
    synchronized (body) {
      body.appendBuffer(chunk);
    }
    pending.append(chunk.toString());
    int newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, newline);
      pending.delete(0, newline + 1);
      onLine(line);
    }
  }

  private void onLine(String line) {
    if (line.isEmpty()) {
      if (data != null) {
        events.add(new Event(name == null ? "message" : name, id, data.toString()));
      }
      name = null;
      id = null;
      data = null;
    } else if (line.startsWith(":")) {
      comments.add(line.substring(1).trim());
    } else if (line.startsWith("event: ")) {
      name = line.substring(7);
    } else if (line.startsWith("id: ")) {
      id = line.substring(4);
    } else if (line.startsWith("data: ")) {
      data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
    }
  }

  /** Goes away as a browser tab would: the connection is closed. */
  @Override
  public void close() {
    client.close().await();
  }
}
