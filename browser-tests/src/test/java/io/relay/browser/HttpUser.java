package io.relay.browser;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A user of Relay over plain HTTP, without a browser: a token from ingest (dev mode, dev API key),
 * then direct messages sent with it. For tests where every browser belongs to the recipient.
 */
final class HttpUser {

  private static final String DEV_API_KEY = "dev-key";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String ingestUrl;
  private final String token;

  HttpUser(String ingestUrl, String uid) {
    this.ingestUrl = ingestUrl;
    JsonObject minted = post("/v1/tokens", new JsonObject().put("uid", uid).put("ttlSec", 3600), "X-Api-Key", DEV_API_KEY);
    this.token = minted.getString("token");
  }

  /** Sends a direct message {@code {"text": text}} to {@code to}; returns its id. */
  String send(String to, String text) {
    JsonObject message = new JsonObject().put("to", to).put("body", new JsonObject().put("text", text));
    return post("/v1/messages", message, "Authorization", "Bearer " + token).getString("id");
  }

  private JsonObject post(String path, JsonObject body, String authHeader, String authValue) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header(authHeader, authValue)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
      }
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(path + " interrupted", e);
    }
  }
}
