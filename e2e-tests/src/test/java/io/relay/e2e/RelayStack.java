package io.relay.e2e;

import io.relay.ingest.IngestConfig;
import io.relay.ingest.IngestNode;
import io.relay.push.PushConfig;
import io.relay.push.PushNode;
import io.relay.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Both services deployed in-process (each node with its own config, as separate processes would
 * be, on {@code RELAY_EVENT_LOOPS} event loops each: by default as many as the machine has
 * processors) against a real Redis, plus a real HTTP client. Start push nodes with
 * {@link #addPushNode()}.
 */
final class RelayStack implements AutoCloseable {

  static final String API_KEY = "test-key";

  final Vertx vertx = Vertx.vertx();
  final WebClient http = WebClient.create(vertx);
  private final Map<String, String> env = new HashMap<>();
  private final List<String> deployments = new ArrayList<>();
  final IngestNode ingest;
  final PushNode push;

  RelayStack(TestRedis redis, Map<String, String> overrides) {
    env.put("REDIS_URL", redis.url());
    env.put("RELAY_JWT_SECRET", "test-secret-" + UUID.randomUUID());
    env.put("RELAY_API_KEYS", API_KEY);
    env.put("RELAY_INGEST_PORT", "0");
    env.put("RELAY_PUSH_PORT", "0");
    env.put("RELAY_REDIS_TIMEOUT_MS", "3000");
    env.putAll(overrides);
    ingest = new IngestNode(IngestConfig.fromEnv(env));
    deployments.add(vertx.deployVerticle(ingest).await());
    push = addPushNode();
  }

  static RelayStack start(TestRedis redis) {
    return new RelayStack(redis, Map.of());
  }

  /** Deploys one more push node (own node id, own Redis connections) and returns it. */
  PushNode addPushNode() {
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.put("RELAY_NODE_ID", "push-" + UUID.randomUUID().toString().substring(0, 8));
    PushNode node = new PushNode(PushConfig.fromEnv(nodeEnv));
    deployments.add(vertx.deployVerticle(node).await());
    return node;
  }

  /** Undeploys a push node gracefully (its stop(): 1012 to every client, bindings removed). */
  void stopPushNode(PushNode node) {
    vertx.undeploy(node.deploymentID()).await();
    deployments.remove(node.deploymentID());
  }

  /** A fresh user id, so tests never see each other's data even on a shared Redis. */
  static String newUser(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  String token(String uid) {
    return token(uid, 3600);
  }

  String token(String uid, int ttlSec) {
    HttpResponse<Buffer> response = http.post(ingest.port(), "127.0.0.1", "/v1/tokens")
        .putHeader("X-Api-Key", API_KEY)
        .sendJsonObject(new JsonObject().put("uid", uid).put("ttlSec", ttlSec)).await();
    return response.bodyAsJsonObject().getString("token");
  }

  /** POST /v1/messages as a user. */
  HttpResponse<Buffer> send(String token, JsonObject message) {
    return http.post(ingest.port(), "127.0.0.1", "/v1/messages")
        .putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(message).await();
  }

  /** POST /v1/messages as a backend (API key). */
  HttpResponse<Buffer> sendAsBackend(JsonObject message) {
    return http.post(ingest.port(), "127.0.0.1", "/v1/messages")
        .putHeader("X-Api-Key", API_KEY)
        .sendJsonObject(message).await();
  }

  /** POST /v1/messages as user {@code from} to {@code to} with a text body; asserts a 201. */
  String sendText(String fromToken, String to, String text) {
    HttpResponse<Buffer> response = send(fromToken, new JsonObject().put("to", to).put("body", new JsonObject().put("text", text)));
    if (response.statusCode() != 201) {
      throw new AssertionError("send failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("id");
  }

  WsClient connect(String token) {
    return connect(push, token, "");
  }

  WsClient connect(PushNode node, String token, String query) {
    return WsClient.connect(vertx, node.port(), "/v1/ws?token=" + token + query);
  }

  @Override
  public void close() {
    http.close();
    vertx.close().await();
  }
}
