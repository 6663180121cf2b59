package io.relay.service;

import io.relay.model.PubSubMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Redis the services talk to (docs/operations.md#redis-cluster): one server, or a Redis
 * Cluster. A cluster is recognised from {@code REDIS_URL} when it lists several seed nodes
 * (comma-separated {@code redis://} URLs), else from the server itself ({@code INFO} reports
 * {@code cluster_enabled:1}), asked once at startup. On a cluster every script touches one hash
 * slot and pub/sub is sharded when the servers are Redis 7 or later ({@link PubSubMode}).
 *
 * @param cluster   true on a Redis Cluster
 * @param pubSub    the pub/sub commands to use
 * @param endpoints the {@code redis://} URLs to connect to (the seed nodes on a cluster)
 */
public record RedisMode(boolean cluster, PubSubMode pubSub, List<String> endpoints) {

  private static final Logger LOG = LoggerFactory.getLogger(RedisMode.class);
  private static final Pattern VERSION = Pattern.compile("redis_version:(\\d+)");

  public RedisMode {
    endpoints = List.copyOf(endpoints);
  }

  /** One server at {@code url}, plain pub/sub. */
  public static RedisMode single(String url) {
    return new RedisMode(false, PubSubMode.PLAIN, List.of(url));
  }

  /** A cluster reached through {@code seeds}; sharded pub/sub unless the servers are older than 7. */
  public static RedisMode cluster(List<String> seeds, int redisMajorVersion) {
    return new RedisMode(true, PubSubMode.of(true, redisMajorVersion), seeds);
  }

  /** The seed URLs in {@code REDIS_URL}: one, or several separated by commas. */
  public static List<String> seeds(String redisUrl) {
    return Arrays.stream(redisUrl.split(",")).map(String::trim).filter(url -> !url.isEmpty()).toList();
  }

  /**
   * What {@code REDIS_URL} alone says: several seeds mean a cluster (assumed Redis 7 or later until
   * {@link #detect} asked), one means a single server until the server says otherwise.
   */
  public static RedisMode fromUrl(String redisUrl) {
    List<String> seeds = seeds(redisUrl);
    return seeds.size() > 1 ? cluster(seeds, 7) : single(seeds.get(0));
  }

  /**
   * Asks the first reachable seed once ({@code INFO server} and {@code INFO cluster}) whether it is
   * part of a cluster and which version it runs. When no seed answers, falls back to what the URL
   * says ({@link #fromUrl}): the service then starts and reports not ready until Redis answers.
   */
  public static Future<RedisMode> detect(Vertx vertx, SharedConfig config) {
    RedisMode byUrl = fromUrl(config.redisUrl());
    return ask(vertx, config, byUrl.endpoints(), 0)
        .map(info -> fromInfo(byUrl, info))
        .recover(e -> {
          LOG.warn("could not ask Redis whether it is a cluster ({}); going by REDIS_URL: {}", e.getMessage(),
              byUrl.cluster() ? "cluster" : "single server");
          return Future.succeededFuture(byUrl);
        })
        .onSuccess(mode -> LOG.info("Redis: {}, {} pub/sub", mode.cluster()
            ? "cluster (" + mode.endpoints().size() + " seed" + (mode.endpoints().size() == 1 ? "" : "s") + ")"
            : "single server", mode.pubSub() == PubSubMode.SHARDED ? "sharded" : "plain"));
  }

  /** The mode an {@code INFO server} + {@code INFO cluster} answer shows. */
  static RedisMode fromInfo(RedisMode byUrl, String info) {
    boolean cluster = byUrl.cluster() || info.contains("cluster_enabled:1");
    Matcher version = VERSION.matcher(info);
    int major = version.find() ? Integer.parseInt(version.group(1)) : 7;
    return cluster ? cluster(byUrl.endpoints(), major) : single(byUrl.endpoints().get(0));
  }

  private static Future<String> ask(Vertx vertx, SharedConfig config, List<String> seeds, int index) {
    Redis probe = Redis.createClient(vertx, new RedisOptions().setConnectionString(seeds.get(index))
        .setNetClientOptions(RedisFactory.netOptions(config)));
    Future<String> info = probe.send(Request.cmd(Command.INFO).arg("server"))
        .compose(server -> probe.send(Request.cmd(Command.INFO).arg("cluster"))
            .map(cluster -> server.toString() + "\n" + cluster.toString()))
        .timeout(config.redisTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .eventually(() -> {
          probe.close();
          return Future.succeededFuture();
        });
    return index + 1 < seeds.size() ? info.recover(e -> ask(vertx, config, seeds, index + 1)) : info;
  }
}
