package io.relay.testing;

import io.relay.model.HashSlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A real Redis Cluster for a test class: six {@code redis-server} processes on free loopback
 * ports (three primaries with one replica each), each in its own temp dir with AOF on, joined by
 * {@code redis-cli --cluster create}. A test can SIGKILL a primary, await the failover (its replica
 * promoted, every slot served again) and restart the killed node, which rejoins as a replica.
 *
 * <p>AOF uses {@code appendfsync everysec}: Redis writes the AOF buffer to the file before it
 * answers, so a SIGKILL of the process (what these tests do) loses nothing answered; only a crash
 * of the whole machine could lose the last second, which no test simulates. {@code always} would
 * add an fsync to every write of six servers sharing a small machine, for no test's benefit.
 * The node timeout is {@value #NODE_TIMEOUT_MS} ms, so a failover takes a few seconds.
 */
public final class RedisCluster implements AutoCloseable {

  /** How long a primary may be unreachable before its replica takes over. */
  public static final int NODE_TIMEOUT_MS = 2000;
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final List<RedisProcess> nodes;

  private RedisCluster(List<RedisProcess> nodes) {
    this.nodes = nodes;
  }

  /** Starts six nodes, creates the cluster and waits until every slot is served and replicated. */
  public static RedisCluster start() {
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        nodes.add(RedisProcess.start(List.of(
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS),
            "--appendfsync", "everysec")));
      }
      RedisCluster cluster = new RedisCluster(nodes);
      cluster.create();
      cluster.awaitHealthy();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::close);
      throw e;
    }
  }

  private void create() {
    List<String> command = new ArrayList<>(List.of(cli(), "--cluster", "create"));
    nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
    command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0 || !output.contains("All 16384 slots covered")) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The seed list for {@code REDIS_URL}: every node's {@code redis://} URL, comma separated. */
  public String url() {
    return nodes.stream().map(RedisProcess::url).collect(Collectors.joining(","));
  }

  /** All six nodes, running or not, in the order they were started. */
  public List<RedisProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** The running primaries, as the cluster sees them now. */
  public List<RedisProcess> primaries() {
    return view().stream().filter(Node::servesSlots).map(node -> process(node.port())).toList();
  }

  /** The primary serving {@code key}'s hash slot now. */
  public RedisProcess primaryFor(String key) {
    int slot = HashSlot.of(key);
    return view().stream().filter(node -> node.serves(slot)).findFirst()
        .map(node -> process(node.port()))
        .orElseThrow(() -> new IllegalStateException("no node serves slot " + slot));
  }

  /** The running replicas of {@code primary}, as the cluster sees them now. */
  public List<RedisProcess> replicasOf(RedisProcess primary) {
    List<Node> view = view();
    String id = view.stream().filter(node -> node.port() == primary.port()).findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown node port " + primary.port())).id();
    return view.stream().filter(node -> id.equals(node.primaryId())).map(node -> process(node.port()))
        .filter(RedisProcess::isRunning).toList();
  }

  /** SIGKILLs a primary (its data dir stays for {@link #restart}); see {@link #awaitFailover}. */
  public void killPrimary(RedisProcess primary) {
    if (!primaries().contains(primary)) {
      throw new IllegalArgumentException("port " + primary.port() + " is not a primary now");
    }
    primary.kill();
  }

  /**
   * Waits until a replica of the killed {@code primary} has taken over its slots and every running
   * node reports {@code cluster_state:ok}.
   */
  public void awaitFailover(RedisProcess primary) {
    Awaitility.await("failover of port " + primary.port()).atMost(SETTLE).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> !primaries().contains(primary) && allRunningOk());
  }

  /**
   * Starts a killed node again (a primary that was failed over rejoins as a replica, a replica as
   * itself). Waits until the cluster is healthy.
   */
  public void restart(RedisProcess node) {
    node.restart();
    awaitHealthy();
  }

  /**
   * Waits until every running node reports {@code cluster_state:ok} with all slots served, sees
   * the same six nodes, and every primary has a replica whose replication link is up.
   */
  public void awaitHealthy() {
    Awaitility.await("cluster healthy").atMost(SETTLE).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> allRunningOk() && everyPrimaryReplicated());
  }

  private boolean allRunningOk() {
    for (RedisProcess node : running()) {
      String info = RespCommand.text(node.port(), "CLUSTER", "INFO");
      if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + HashSlot.SLOTS)
          || !info.contains("cluster_known_nodes:" + nodes.size())) {
        return false;
      }
    }
    return true;
  }

  private boolean everyPrimaryReplicated() {
    List<Node> view = view();
    for (Node primary : view.stream().filter(Node::servesSlots).toList()) {
      boolean replicated = view.stream().filter(node -> primary.id().equals(node.primaryId()))
          .filter(node -> process(node.port()).isRunning())
          .anyMatch(node -> RespCommand.text(node.port(), "INFO", "replication").contains("master_link_status:up"));
      if (!replicated) {
        return false;
      }
    }
    return true;
  }

  private List<RedisProcess> running() {
    return nodes.stream().filter(RedisProcess::isRunning).toList();
  }

  /** {@code CLUSTER NODES} as seen by a running node, without failed nodes. */
  private List<Node> view() {
    RedisProcess asked = running().stream().findFirst()
        .orElseThrow(() -> new IllegalStateException("no node running"));
    List<Node> view = new ArrayList<>();
    for (String line : RespCommand.text(asked.port(), "CLUSTER", "NODES").split("\n")) {
      Node.parse(line).filter(node -> !node.failed()).ifPresent(view::add);
    }
    return view;
  }

  private RedisProcess process(int port) {
    return nodes.stream().filter(node -> node.port() == port).findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown node port " + port));
  }

  @Override
  public void close() {
    nodes.forEach(RedisProcess::close);
  }

  private static String cli() {
    String configured = System.getenv("RELAY_REDIS_CLI");
    return configured == null || configured.isBlank() ? "redis-cli" : configured;
  }

  /** One line of {@code CLUSTER NODES}: id, port, flags, primary id, slot ranges. */
  private record Node(String id, int port, String flags, String primaryId, List<int[]> slots) {

    static Optional<Node> parse(String line) {
      String[] parts = line.trim().split(" ");
      if (parts.length < 8) {
        return Optional.empty();
      }
      String address = parts[1];
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
      List<int[]> slots = new ArrayList<>();
      for (int i = 8; i < parts.length; i++) {
        if (parts[i].startsWith("[")) {
          continue; // a slot being migrated or imported: still served by its owner
        }
        String[] range = parts[i].split("-");
        int from = Integer.parseInt(range[0]);
        slots.add(new int[] {from, range.length > 1 ? Integer.parseInt(range[1]) : from});
      }
      return Optional.of(new Node(parts[0], port, parts[2], parts[3], slots));
    }

    boolean failed() {
      return flags.contains("fail") && !flags.contains("fail?") || flags.contains("noaddr");
    }

    boolean servesSlots() {
      return flags.contains("master") && !slots.isEmpty();
    }

    boolean serves(int slot) {
      return flags.contains("master") && slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
    }
  }
}
