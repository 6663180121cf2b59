package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.HttpException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every way a route can fail comes out as a docs/protocol.md#errors body with the status of its code. */
class ErrorRendererTest {

  static Vertx vertx;
  static HttpServer server;
  static HttpClient client;

  @BeforeAll
  static void start() throws TimeoutException {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    ErrorRenderer.install(router);
    router.get("/api-error").handler(ctx -> {
      throw new ApiError(ErrorCode.NOT_MEMBER, "not in room r1");
    });
    router.get("/unavailable").handler(ctx -> ctx.fail(ApiError.unavailable("storage down")));
    router.get("/http-exception").handler(ctx -> ctx.fail(new HttpException(401, "who are you")));
    router.get("/status").handler(ctx -> ctx.fail(413));
    router.get("/status-with-cause").handler(ctx -> ctx.fail(403, new IllegalStateException("origin refused")));
    router.get("/bug").handler(ctx -> {
      throw new IllegalStateException("secret internals");
    });
    server = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws TimeoutException {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void apiErrorKeepsItsCodeAndMessage() throws TimeoutException {
    Answer answer = get("/api-error");
    answer.assertError(403, "not_member");
    assertThat(answer.message()).isEqualTo("not in room r1");
  }

  @Test
  void unavailableTellsClientsWhenToRetry() throws TimeoutException {
    Answer answer = get("/unavailable");
    answer.assertError(503, "unavailable");
    assertThat(answer.response.getHeader("Retry-After")).isNotBlank();
  }

  @Test
  void httpExceptionKeepsItsStatusAndText() throws TimeoutException {
    Answer answer = get("/http-exception");
    answer.assertError(401, "unauthorized");
    assertThat(answer.message()).isEqualTo("who are you");
  }

  @Test
  void bareStatusBecomesItsCode() throws TimeoutException {
    get("/status").assertError(413, "payload_too_large");
  }

  @Test
  void statusGivenWithACauseIsKept() throws TimeoutException {
    get("/status-with-cause").assertError(403, "forbidden");
  }

  @Test
  void unexpectedExceptionIsInternalAndDoesNotLeakItsMessage() throws TimeoutException {
    Answer answer = get("/bug");
    answer.assertError(500, "internal");
    assertThat(answer.body.encode()).doesNotContain("secret internals");
  }

  @Test
  void unknownPathIsNotFound() throws TimeoutException {
    get("/nowhere").assertError(404, "not_found");
  }

  @Test
  void wrongMethodIsMethodNotAllowed() throws TimeoutException {
    request(HttpMethod.POST, "/api-error").assertError(405, "method_not_allowed");
  }

  @Test
  void everyHttpCodeOfSection7MapsBackToItsStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      // Second codes of a status (400, 403, 409) are only ever set explicitly.
      if (code.status() != 0 && code != ErrorCode.INVALID_JSON && code != ErrorCode.NOT_MEMBER
          && code != ErrorCode.ROOM_EXISTS) {
        assertThat(ErrorRenderer.codeFor(code.status())).as("status %s", code.status()).isEqualTo(code);
      }
    }
    assertThat(ErrorRenderer.codeFor(418)).isEqualTo(ErrorCode.INTERNAL);
  }

  private static Answer get(String path) throws TimeoutException {
    return request(HttpMethod.GET, path);
  }

  private static Answer request(HttpMethod method, String path) throws TimeoutException {
    // The body is asked for inside the send callback, on the event loop: chained from this
    // thread instead, the response could end before anyone reads it, and the test would hang.
    Future<Answer> answer = client.request(method, server.actualPort(), "127.0.0.1", path)
        .compose(request -> request.send()
            .compose(response -> response.body().map(body -> new Answer(response, body.toJsonObject()))));
    return answer.await(10, TimeUnit.SECONDS);
  }

  private record Answer(HttpClientResponse response, JsonObject body) {

    String message() {
      return body.getJsonObject("error").getString("message");
    }

    void assertError(int status, String code) {
      assertThat(response.statusCode()).as(body.encode()).isEqualTo(status);
      assertThat(response.getHeader("Content-Type")).startsWith("application/json");
      assertThat(body.getJsonObject("error").getString("code")).isEqualTo(code);
      assertThat(message()).isNotBlank();
    }
  }
}
