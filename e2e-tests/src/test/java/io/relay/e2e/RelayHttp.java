package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;

/** Plain HTTP calls to a stack's ingest-service as a user, a backend or nobody, and docs/protocol.md#errors error checks. */
final class RelayHttp {

  /** Who calls: a user token, the API key, or no credentials at all. */
  record As(String token, String apiKey) {
    static As user(String token) {
      return new As(token, null);
    }

    static As backend() {
      return new As(null, RelayStack.API_KEY);
    }

    static As nobody() {
      return new As(null, null);
    }
  }

  private final RelayStack relay;

  RelayHttp(RelayStack relay) {
    this.relay = relay;
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, As as, Object body) {
    HttpRequest<Buffer> request = relay.http.request(method, relay.ingest.port(), "127.0.0.1", path);
    if (as.token() != null) {
      request.putHeader("Authorization", "Bearer " + as.token());
    }
    if (as.apiKey() != null) {
      request.putHeader("X-Api-Key", as.apiKey());
    }
    if (body == null) {
      return request.send().await();
    }
    Buffer buffer = body instanceof Buffer raw ? raw : Buffer.buffer(body.toString());
    return request.putHeader("Content-Type", "application/json").sendBuffer(buffer).await();
  }

  HttpResponse<Buffer> get(String path, As as) {
    return call(HttpMethod.GET, path, as, null);
  }

  HttpResponse<Buffer> post(String path, As as, JsonObject body) {
    return call(HttpMethod.POST, path, as, body);
  }

  /** POST /v1/rooms; asserts 201 and returns the room. */
  JsonObject createRoom(As as, String room, String... members) {
    HttpResponse<Buffer> response = post("/v1/rooms", as,
        new JsonObject().put("id", room).put("members", new JsonArray(java.util.List.of(members))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  HttpResponse<Buffer> addMember(As as, String room, String uid) {
    return call(HttpMethod.PUT, "/v1/rooms/" + room + "/members/" + uid, as, null);
  }

  HttpResponse<Buffer> removeMember(As as, String room, String uid) {
    return call(HttpMethod.DELETE, "/v1/rooms/" + room + "/members/" + uid, as, null);
  }

  /** POST /v1/messages to a room; asserts 201 and returns the message id. */
  String postToRoom(As as, String room, String text) {
    HttpResponse<Buffer> response = post("/v1/messages", as,
        new JsonObject().put("room", room).put("body", new JsonObject().put("text", text)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getString("id");
  }

  /** GET /v1/messages as a user: its whole log (up to 1000 entries). */
  JsonArray log(String token) {
    HttpResponse<Buffer> response = get("/v1/messages?limit=1000", As.user(token));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("messages");
  }

  /** Asserts a docs/protocol.md#errors error: the status and {@code {"error":{"code":code,"message":<non-blank>}}}. */
  static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error).as(response.bodyAsString()).isNotNull();
    assertThat(error.getString("code")).as(response.bodyAsString()).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }
}
