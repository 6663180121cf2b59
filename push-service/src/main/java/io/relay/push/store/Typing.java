package io.relay.push.store;

import io.relay.model.ErrorCode;
import io.relay.model.Frames;
import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.service.ApiError;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typing indicators (docs/conversations.md): {@code {"type":"typing","from":…,"to":…}} or
 * {@code {…,"room":…}} pushed to the recipients' connections online now, never stored, so at most
 * once. To a user: one publish on that user's channel (the sender's own connections do not
 * subscribe it). To a room on one Redis: one call of {@code typing-room.lua}, which checks
 * membership and publishes once per push node holding other members, like room entries. On a
 * Redis Cluster the room's members and their bindings live in other slots, so the same work is
 * done slot by slot: the member check and list in the room's slot, the nodes of each member in
 * that member's slot (all at once), then one publish per node ({@link NodeRoutes}).
 */
public final class Typing {

  private final RedisGateway redis;

  public Typing(RedisGateway redis) {
    this.redis = redis;
  }

  public Future<Void> toUser(String from, String to) {
    return redis.publish(RedisKeys.liveChannel(to), Frames.typing(from, to, null)).mapEmpty();
  }

  /** Fails with {@code not_member} when {@code from} is not a member of the room (or there is no such room). */
  public Future<Void> toRoom(String from, String room) {
    return redis.cluster() ? toRoomBySlot(from, room) : toRoomInOneCall(from, room);
  }

  private Future<Void> toRoomInOneCall(String from, String room) {
    return redis.eval(LuaScript.TYPING_ROOM, List.of(RedisKeys.roomMembers(room)),
            List.of(from, Frames.typing(from, null, room)))
        .compose(reply -> "ok".equals(reply.get(0).toString()) ? Future.<Void>succeededFuture() : notMember(room));
  }

  private Future<Void> toRoomBySlot(String from, String room) {
    return redis.eval(LuaScript.TYPING_ROOM_MEMBERS, List.of(RedisKeys.roomMembers(room)), List.of(from))
        .compose(reply -> {
          if (!"ok".equals(reply.get(0).toString())) {
            return notMember(room);
          }
          List<String> others = new ArrayList<>(reply.size() - 1);
          for (int i = 1; i < reply.size(); i++) {
            others.add(reply.get(i).toString());
          }
          return publishPerNode(others, Frames.typing(from, null, room));
        });
  }

  /** Asks every member's slot for its nodes, then publishes once per node; a member not found online is skipped. */
  private Future<Void> publishPerNode(List<String> members, String frame) {
    List<Future<List<String>>> nodes = members.stream().map(this::nodesOf).toList();
    return Future.join(nodes).transform(done -> {
      NodeRoutes routes = new NodeRoutes();
      for (int i = 0; i < members.size(); i++) {
        if (nodes.get(i).succeeded()) {
          routes.add(members.get(i), nodes.get(i).result());
        }
      }
      List<Future<Response>> published = new ArrayList<>();
      for (Map.Entry<String, List<String>> route : routes.byNode().entrySet()) {
        String payload = NodeRoutes.transientPayload(route.getValue(), frame);
        published.add(redis.publish(RedisKeys.nodeLive(route.getKey()), payload));
      }
      return Future.join(published).mapEmpty();
    });
  }

  private Future<List<String>> nodesOf(String uid) {
    return redis.eval(LuaScript.MEMBER_NODES, List.of(RedisKeys.routes(uid)), List.of())
        .map(reply -> {
          List<String> nodes = new ArrayList<>(reply == null ? 0 : reply.size());
          if (reply != null) {
            reply.forEach(node -> nodes.add(node.toString()));
          }
          return nodes;
        });
  }

  private static Future<Void> notMember(String room) {
    return Future.failedFuture(new ApiError(ErrorCode.NOT_MEMBER, "you are not a member of room " + room));
  }
}
