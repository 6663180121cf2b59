package io.relay.browser;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/**
 * A reverse proxy in front of the push-service that intercepts every WebSocket upgrade and
 * refuses it ({@code 403}), and passes everything else through: a network where WebSocket cannot
 * connect but plain HTTP (the page, SSE, long-poll) works. Chrome DevTools' URL blocking does not
 * apply to WebSocket handshakes, hence a proxy.
 */
final class NoWebSocketProxy implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  NoWebSocketProxy(int pushPort) {
    HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), vertx.createHttpClient())
        .origin(pushPort, "127.0.0.1");
    server = vertx.createHttpServer()
        .requestHandler(request -> {
          if (isWebSocketUpgrade(request)) {
            request.response().setStatusCode(403).end("WebSocket blocked by the test network");
          } else {
            proxy.handle(request);
          }
        })
        .listen(0, "127.0.0.1").await();
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
  }

  /** The demo page as seen through this proxy. */
  String pageUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
