package io.relay.push.store;

import io.relay.model.ErrorCode;
import io.relay.model.Frames;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * Typing indicators (docs/conversations.md): {@code {"type":"typing","from":…,"to":…}} or
 * {@code {…,"room":…}} pushed to the recipients' connections online now, never stored, so at most
 * once. One round trip each: to a user, one {@code PUBLISH} on that user's channel (the sender's
 * own connections do not subscribe it); to a room, {@code typing-room.lua}, which checks
 * membership and publishes once per push node holding other members, like room entries.
 */
public final class Typing {

  private final RedisGateway redis;

  public Typing(RedisGateway redis) {
    this.redis = redis;
  }

  public Future<Void> toUser(String from, String to) {
    return redis.send(Request.cmd(Command.PUBLISH).arg(RedisKeys.liveChannel(to)).arg(Frames.typing(from, to, null)))
        .mapEmpty();
  }

  /** Fails with {@code not_member} when {@code from} is not a member of the room (or there is no such room). */
  public Future<Void> toRoom(String from, String room) {
    return redis.eval(LuaScript.TYPING_ROOM, List.of(RedisKeys.roomMembers(room)),
            List.of(from, Frames.typing(from, null, room)))
        .compose(reply -> "ok".equals(reply.get(0).toString()) ? Future.<Void>succeededFuture()
            : Future.failedFuture(new ApiError(ErrorCode.NOT_MEMBER, "you are not a member of room " + room)));
  }
}
