package io.relay.push.store;

import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;

/** Each device's acked position in its user's log: where a reconnect without {@code since} resumes. */
public final class Cursors {

  private final RedisGateway redis;
  private final long lifetimeMillis;

  public Cursors(RedisGateway redis, long lifetimeMillis) {
    this.redis = redis;
    this.lifetimeMillis = lifetimeMillis;
  }

  /** The device's cursor, or {@link Seq#ZERO} when it never acked. */
  public Future<Seq> of(String uid, String device) {
    return redis.send(Request.cmd(Command.HGET).arg(RedisKeys.cursors(uid)).arg(device))
        .map(reply -> reply == null ? Seq.ZERO : Seq.parse(reply.toString()));
  }

  /** Moves the cursor forward to {@code seq}; an older ack changes nothing. */
  public Future<Void> ack(String uid, String device, Seq seq) {
    return redis.eval(LuaScript.ACK_CURSOR, List.of(RedisKeys.cursors(uid)),
        List.of(device, seq.toString(), Long.toString(lifetimeMillis))).mapEmpty();
  }
}
