package io.relay.e2e;

import io.relay.testing.RedisProcess;
import io.relay.testing.ServiceProcess;
import io.relay.testing.ServiceProcess.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Relay as an operator runs it: a redis-server process and separate ingest and push JVMs
 * started from their jars, each of which a test may kill, terminate or restart.
 */
final class ProcessCluster implements AutoCloseable {

  static final String API_KEY = "cluster-key";

  final RedisProcess redis = RedisProcess.start();
  final Vertx vertx = Vertx.vertx();
  final WebClient http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setIdleTimeout(10),
      new PoolOptions().setHttp1MaxSize(64));
  final List<ServiceProcess> ingest = new ArrayList<>();
  final List<ServiceProcess> push = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();

  ProcessCluster(int ingestNodes, int pushNodes, int heartbeatSec) {
    this(ingestNodes, pushNodes, heartbeatSec, Map.of());
  }

  /** {@code overrides}: settings of every node beyond the defaults here. */
  ProcessCluster(int ingestNodes, int pushNodes, int heartbeatSec, Map<String, String> overrides) {
    env.put("REDIS_URL", redis.url());
    env.put("RELAY_JWT_SECRET", "cluster-secret-" + UUID.randomUUID());
    env.put("RELAY_API_KEYS", API_KEY);
    env.put("RELAY_HEARTBEAT_SEC", Integer.toString(heartbeatSec));
    env.put("RELAY_REDIS_TIMEOUT_MS", "3000");
    env.put("RELAY_SEND_QUEUE_MAX", "50");
    env.putAll(overrides);
    for (int i = 0; i < ingestNodes; i++) {
      ingest.add(start(Kind.INGEST, "ingest-" + i));
    }
    for (int i = 0; i < pushNodes; i++) {
      push.add(start(Kind.PUSH, "push-" + i));
    }
  }

  private ServiceProcess start(Kind kind, String nodeId) {
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.put("RELAY_NODE_ID", nodeId);
    return ServiceProcess.start(kind, nodeEnv);
  }

  String token(String uid) {
    return http.post(ingest.get(0).port(), "127.0.0.1", "/v1/tokens").putHeader("X-Api-Key", API_KEY)
        .sendJsonObject(new JsonObject().put("uid", uid).put("ttlSec", 3600)).await()
        .bodyAsJsonObject().getString("token");
  }

  HttpResponse<Buffer> sendAsBackend(ServiceProcess node, JsonObject message) {
    return http.post(node.port(), "127.0.0.1", "/v1/messages").putHeader("X-Api-Key", API_KEY)
        .sendJsonObject(message).await();
  }

  HttpResponse<Buffer> send(ServiceProcess node, String token, JsonObject message) {
    return http.post(node.port(), "127.0.0.1", "/v1/messages").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(message).await();
  }

  WsClient connect(ServiceProcess node, String token, String query) {
    return WsClient.connect(vertx, node.port(), "/v1/ws?token=" + token + query);
  }

  /** The value of a counter or gauge on a node's /metrics, 0 when absent. */
  double metric(ServiceProcess node, String name) {
    String text = http.get(node.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  @Override
  public void close() {
    ingest.forEach(ServiceProcess::close);
    push.forEach(ServiceProcess::close);
    http.close();
    vertx.close().await();
    redis.close();
  }
}
