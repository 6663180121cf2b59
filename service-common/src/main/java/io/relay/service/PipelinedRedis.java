package io.relay.service;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.io.IOException;
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
 * when the connection fails or closes, or stops answering ({@link #reconnectIfSilentFor}), the
 * next command opens a new one. Not for commands that block the connection ({@code WAIT},
 * {@code BLPOP}, {@code SUBSCRIBE}): {@link RedisGateway} uses it only where it sends none.
 */
final class PipelinedRedis implements Redis {

  private static final Logger LOG = LoggerFactory.getLogger(PipelinedRedis.class);
  /** How the client fails the commands a closed connection leaves unanswered. */
  private static final String CONNECTION_CLOSED = "Connection is closed";

  private final Redis pool;
  /** The connection in use or being opened; null when the next command must open one. */
  private Future<RedisConnection> current;
  /** When the connection in use last answered anything (or opened), {@link System#nanoTime}. */
  private volatile long lastAnswer = System.nanoTime();

  PipelinedRedis(Redis pool) {
    this.pool = pool;
  }

  @Override
  public Future<Response> send(Request request) {
    Future<RedisConnection> opening = connection();
    return opening.compose(c -> c.pendingQueueFull() ? pool.send(request) : watched(opening, c.send(request)));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    Future<RedisConnection> opening = connection();
    return opening.compose(c -> c.pendingQueueFull() ? pool.batch(requests) : watched(opening, c.batch(requests)));
  }

  /**
   * {@code reply}, having dropped the connection first when it failed because the connection is
   * gone: the connection's own end event comes later, and a caller retrying at once must get a
   * new one.
   */
  private <T> Future<T> watched(Future<RedisConnection> opening, Future<T> reply) {
    return reply.andThen(done -> {
      if (done.succeeded() || !isConnectionLost(done.cause())) {
        lastAnswer = System.nanoTime(); // a reply or an error reply: the connection answers
      } else {
        dropOnFailure(opening, done.cause());
      }
    });
  }

  /** A failure of the connection, not a Redis error reply. */
  static boolean isConnectionLost(Throwable failure) {
    return failure instanceof IOException || CONNECTION_CLOSED.equals(failure.getMessage());
  }

  @Override
  public Future<RedisConnection> connect() {
    return pool.connect();
  }

  /**
   * After a command timed out: drops the connection if it has not answered anything for
   * {@code silentMs} (it stopped answering: a half-open socket, a hung server), so later commands
   * do not queue behind it. A connection that still answers is kept: the command waited behind
   * slow ones, and a new connection would not make Redis faster.
   */
  void reconnectIfSilentFor(long silentMs) {
    Future<RedisConnection> open;
    synchronized (this) {
      open = current;
    }
    if (open != null && open.succeeded() && System.nanoTime() - lastAnswer > silentMs * 1_000_000L) {
      LOG.warn("the pipelined Redis connection has not answered for {} ms: opening a new one", silentMs);
      reconnect();
    }
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
      lastAnswer = System.nanoTime();
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
   * Closes the connection itself, not only its lease, and never hands the lease back: a
   * connection that failed or stopped answering must not go back to the pool for the next
   * caller (the pool lets go of it once its socket is closed).
   */
  private static void closeSocket(RedisConnection connection) {
    if (connection instanceof PooledRedisConnection pooled) {
      pooled.actual().forceClose();
    } else {
      connection.close();
    }
  }
}
