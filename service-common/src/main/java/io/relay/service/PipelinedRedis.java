package io.relay.service;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection that every command of an event loop is pipelined on, in front of the
 * pooled client. Taking a pooled connection for each command and giving it back cost the ingest
 * node more CPU per message than building the command, and spread the commands over many sockets
 * that Redis then reads one by one; on one connection the commands of a busy moment travel and
 * are read together. Commands run in the order sent, as on any one connection. When the
 * connection's queue of unanswered commands is full the command goes through the pool instead;
 * when the connection fails or closes (or {@link #reconnect} is called: a command timed out) the
 * next command opens a new one. Not for commands that block the connection ({@code WAIT},
 * {@code BLPOP}, {@code SUBSCRIBE}): {@link RedisGateway} uses it only where it sends none.
 */
final class PipelinedRedis implements Redis {

  private static final Logger LOG = LoggerFactory.getLogger(PipelinedRedis.class);

  private final Redis pool;
  /** The connection in use or being opened; null when the next command must open one. */
  private Future<RedisConnection> current;

  PipelinedRedis(Redis pool) {
    this.pool = pool;
  }

  @Override
  public Future<Response> send(Request request) {
    return connection().compose(c -> c.pendingQueueFull() ? pool.send(request) : c.send(request));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> c.pendingQueueFull() ? pool.batch(requests) : c.batch(requests));
  }

  @Override
  public Future<RedisConnection> connect() {
    return pool.connect();
  }

  /** Drops the connection (its unanswered commands fail); the next command opens a new one. */
  synchronized void reconnect() {
    Future<RedisConnection> dropped = current;
    current = null;
    if (dropped != null) {
      dropped.onSuccess(PipelinedRedis::closeSocket);
    }
  }

  @Override
  public Future<Void> close() {
    reconnect();
    return pool.close();
  }

  private synchronized Future<RedisConnection> connection() {
    Future<RedisConnection> open = current;
    if (open != null && !open.failed()) {
      return open;
    }
    Future<RedisConnection> opening = pool.connect();
    current = opening;
    opening.onSuccess(c -> {
      c.exceptionHandler(e -> dropOnFailure(opening, e));
      c.endHandler(end -> dropOnFailure(opening, null));
    }).onFailure(e -> dropOnFailure(opening, e));
    return opening;
  }

  /** Forgets {@code failed} if it is still the connection in use. */
  private synchronized void dropOnFailure(Future<RedisConnection> failed, Throwable cause) {
    if (current == failed) {
      current = null;
      LOG.debug("pipelined Redis connection lost: {}", cause == null ? "closed" : cause.toString());
      if (failed.succeeded()) {
        closeSocket(failed.result());
      }
    }
  }

  /**
   * Closes the connection itself, not only its lease: a connection that stopped answering must not
   * go back to the pool for the next caller.
   */
  private static void closeSocket(RedisConnection connection) {
    if (connection instanceof PooledRedisConnection pooled) {
      pooled.actual().forceClose();
    }
    connection.close();
  }
}
