package io.relay.loadtest;

import io.relay.testing.RedisProcess;
import io.relay.testing.ServiceProcess;
import io.relay.testing.ServiceProcess.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A redis-server (AOF, appendfsync always) and separate ingest and push JVMs, all on loopback. */
final class Cluster implements AutoCloseable {

  static final String API_KEY = "loadtest-key";

  final RedisProcess redis = RedisProcess.start();
  final List<ServiceProcess> ingest = new ArrayList<>();
  final List<ServiceProcess> push = new ArrayList<>();

  Cluster(int ingestNodes, int pushNodes, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("REDIS_URL", redis.url());
    env.put("RELAY_JWT_SECRET", "loadtest-" + UUID.randomUUID());
    env.put("RELAY_API_KEYS", API_KEY);
    for (int i = 0; i < ingestNodes; i++) {
      ingest.add(ServiceProcess.start(Kind.INGEST, withNode(env, "ingest-" + i)));
    }
    for (int i = 0; i < pushNodes; i++) {
      push.add(ServiceProcess.start(Kind.PUSH, withNode(env, "push-" + i)));
    }
  }

  private static Map<String, String> withNode(Map<String, String> env, String node) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put("RELAY_NODE_ID", node);
    return copy;
  }

  List<Integer> pushPorts() {
    return push.stream().map(ServiceProcess::port).toList();
  }

  List<Integer> ingestPorts() {
    return ingest.stream().map(ServiceProcess::port).toList();
  }

  /** Restarts whatever a fault left stopped. */
  void heal() {
    if (!redis.isRunning()) {
      redis.restart();
    }
    for (ServiceProcess node : ingest) {
      if (!node.isAlive()) {
        node.restart();
      }
    }
    for (ServiceProcess node : push) {
      if (!node.isAlive()) {
        node.restart();
      }
    }
  }

  @Override
  public void close() {
    ingest.forEach(ServiceProcess::close);
    push.forEach(ServiceProcess::close);
    redis.close();
  }
}
