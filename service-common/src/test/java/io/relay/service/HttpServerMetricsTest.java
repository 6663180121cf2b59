package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code http_server_requests_seconds}: one series per method, status and route pattern, never per raw path. */
@ExtendWith(VertxExtension.class)
class HttpServerMetricsTest {

  @Test
  void labelsRequestsByRoutePatternAndNeverByPathOrQuery(Vertx vertx, VertxTestContext test) {
    RelayMetrics metrics = new RelayMetrics();
    Router router = Router.router(vertx);
    new HttpServerMetrics(metrics).mount(router);
    router.get("/v1/rooms/:id").handler(ctx -> ctx.end("room"));
    router.get("/v1/secret/:id").handler(ctx -> ctx.fail(401));
    HttpClient client = vertx.createHttpClient();
    vertx.createHttpServer().requestHandler(router).listen(0)
        .compose(server -> get(client, server, "/v1/rooms/r1?token=abc")
            .compose(v -> get(client, server, "/v1/rooms/r2"))
            .compose(v -> get(client, server, "/v1/secret/s1"))
            .compose(v -> get(client, server, "/scanner/" + System.nanoTime())))
        .onComplete(test.succeeding(v -> test.verify(() -> {
          String text = metrics.scrape();
          assertThat(text)
              .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/v1/rooms/:id\",status=\"200\"} 2")
              .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/v1/secret/*\",status=\"401\"} 1")
              .contains("http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"} 1")
              .doesNotContain("r1").doesNotContain("token").doesNotContain("scanner");
          test.completeNow();
        })));
  }

  @Test
  void keepsShortPathsAndCutsLongOnesToTheirFirstTwoSegments() {
    assertThat(HttpServerMetrics.prefix("/v1/messages")).isEqualTo("/v1/messages");
    assertThat(HttpServerMetrics.prefix("/metrics")).isEqualTo("/metrics");
    assertThat(HttpServerMetrics.prefix("/v1/rooms/r1/members/a")).isEqualTo("/v1/rooms/*");
  }

  private static io.vertx.core.Future<Void> get(HttpClient client, HttpServer server, String uri) {
    return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", uri)
        .compose(request -> request.send())
        .compose(response -> response.body())
        .mapEmpty();
  }
}
