package io.relay.e2e;

import io.relay.model.RedisKeys;
import io.relay.testing.RedisCluster;
import io.relay.testing.RedisProcess;
import io.relay.testing.ServiceProcess;
import io.relay.testing.ServiceProcess.Kind;
import io.vertx.core.Future;
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
 * Relay on a Redis Cluster, as an operator runs it: a real 3-primary cluster ({@link RedisCluster})
 * named to the services by its seed list in {@code REDIS_URL}, and separate ingest and push JVMs
 * started from their jars, each of which a test may kill and restart.
 */
final class ClusterStack implements AutoCloseable {

  static final String API_KEY = "cluster-stack-key";

  final RedisCluster redis;
  final Vertx vertx = Vertx.vertx();
  final WebClient http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setIdleTimeout(10),
      new PoolOptions().setHttp1MaxSize(64));
  final List<ServiceProcess> ingest = new ArrayList<>();
  final List<ServiceProcess> push = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();

  /** @param overrides environment for every service, over the defaults set here */
  ClusterStack(int ingestNodes, int pushNodes, Map<String, String> overrides) {
    redis = RedisCluster.start();
    try {
      env.put("REDIS_URL", redis.url());
      env.put("RELAY_JWT_SECRET", "cluster-secret-" + UUID.randomUUID());
      env.put("RELAY_API_KEYS", API_KEY);
      env.put("RELAY_HEARTBEAT_SEC", "1");
      env.put("RELAY_REDIS_TIMEOUT_MS", "3000");
      env.put("RELAY_RATE_USER_PER_SEC", "0");
      env.putAll(overrides);
      for (int i = 0; i < ingestNodes; i++) {
        ingest.add(start(Kind.INGEST, "ingest-" + i));
      }
      for (int i = 0; i < pushNodes; i++) {
        push.add(start(Kind.PUSH, "push-" + i));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private ServiceProcess start(Kind kind, String nodeId) {
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.put("RELAY_NODE_ID", nodeId);
    return ServiceProcess.start(kind, nodeEnv);
  }

  /** A new user whose keys (log, bindings, live channel) live on {@code primary}'s shard. */
  String userOn(RedisProcess primary, String name) {
    while (true) {
      String uid = RelayStack.newUser(name);
      if (redis.primaryFor(RedisKeys.log(uid)).equals(primary)) {
        return uid;
      }
    }
  }

  /** One new user per shard, in the order of {@link RedisCluster#primaries()}. */
  List<String> usersOnEveryShard(String name) {
    return redis.primaries().stream().map(primary -> userOn(primary, name)).toList();
  }

  String token(String uid) {
    return http.post(ingest.get(0).port(), "127.0.0.1", "/v1/tokens").putHeader("X-Api-Key", API_KEY)
        .sendJsonObject(new JsonObject().put("uid", uid).put("ttlSec", 3600)).await()
        .bodyAsJsonObject().getString("token");
  }

  Future<HttpResponse<Buffer>> post(ServiceProcess node, String path, String token, JsonObject body) {
    return http.post(node.port(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(body);
  }

  HttpResponse<Buffer> send(String token, JsonObject message) {
    return post(ingest.get(0), "/v1/messages", token, message).await();
  }

  HttpResponse<Buffer> asBackend(String path, JsonObject body) {
    return http.post(ingest.get(0).port(), "127.0.0.1", path).putHeader("X-Api-Key", API_KEY)
        .sendJsonObject(body).await();
  }

  HttpResponse<Buffer> getAsBackend(String path) {
    return http.get(ingest.get(0).port(), "127.0.0.1", path).putHeader("X-Api-Key", API_KEY).send().await();
  }

  WsClient connect(ServiceProcess node, String token, String query) {
    return WsClient.connect(vertx, node.port(), "/v1/ws?token=" + token + query);
  }

  static JsonObject text(String to, String text) {
    return new JsonObject().put("to", to).put("body", new JsonObject().put("text", text));
  }

  static List<String> texts(List<JsonObject> messages) {
    return messages.stream().map(m -> m.getJsonObject("body").getString("text")).toList();
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
