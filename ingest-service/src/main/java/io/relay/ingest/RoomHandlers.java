package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.MemberEvent;
import io.relay.service.ApiError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The room endpoints of docs/rooms-presence.md: create, read, delete, add and remove members, history. Users act as
 * themselves; a backend (API key) may do anything. Changes that store member events spend the
 * caller's send budget ({@link SendRates}).
 */
final class RoomHandlers {

  static final int DEFAULT_HISTORY_PAGE = 50;
  private static final Pattern MESSAGE_ID = Pattern.compile("[0-9A-Z]{26}");

  private final RoomStore rooms;
  private final RoomHistory history;
  private final SendRates rates;
  private final int maxRoomSize;

  RoomHandlers(RoomStore rooms, RoomHistory history, SendRates rates, int maxRoomSize) {
    this.rooms = rooms;
    this.history = history;
    this.rates = rates;
    this.maxRoomSize = maxRoomSize;
  }

  void create(RoutingContext ctx) {
    Caller caller = CallerHandler.of(ctx);
    CreateRoomRequest request = CreateRoomRequest.parse(JsonBodies.object(ctx), caller, maxRoomSize);
    rooms.create(request.id(), request.owner(), request.members(), rates.of(caller))
        .onSuccess(room -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(room.toJson().encode()))
        .onFailure(ctx::fail);
  }

  /** Members and backends see the room; other users get 403 not_member. */
  void get(RoutingContext ctx) {
    String room = pathName(ctx, "id");
    Caller caller = CallerHandler.of(ctx);
    rooms.read(room)
        .map(found -> {
          if (!caller.isBackend() && !found.hasMember(caller.uid())) {
            throw new ApiError(ErrorCode.NOT_MEMBER, "you are not a member of room " + room);
          }
          return found.toJson();
        })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /**
   * {@code DELETE /v1/rooms/{id}} (owner or backend): {@code 200 {"room","deleted":true,"members":n}}.
   * The room's meta, membership and history go at once; members' logs keep their copies.
   */
  void delete(RoutingContext ctx) {
    String room = pathName(ctx, "id");
    rooms.delete(room, CallerHandler.of(ctx).uid())
        .map(members -> new JsonObject().put("room", room).put("deleted", true).put("members", members))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  void addMember(RoutingContext ctx) {
    changeMember(ctx, MemberEvent.Action.ADDED);
  }

  void removeMember(RoutingContext ctx) {
    changeMember(ctx, MemberEvent.Action.REMOVED);
  }

  /** {@code 200 {"room","uid","member","changed"}}: PUT and DELETE are idempotent. */
  private void changeMember(RoutingContext ctx, MemberEvent.Action action) {
    String room = pathName(ctx, "id");
    String uid = pathName(ctx, "uid");
    Caller caller = CallerHandler.of(ctx);
    rooms.change(room, uid, action, caller.uid(), rates.of(caller))
        .map(changed -> new JsonObject().put("room", room).put("uid", uid)
            .put("member", action == MemberEvent.Action.ADDED).put("changed", changed))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  void history(RoutingContext ctx) {
    String room = pathName(ctx, "id");
    String before = before(ctx.request().getParam("before"));
    int limit = Pages.limit(ctx, DEFAULT_HISTORY_PAGE);
    history.page(room, CallerHandler.of(ctx).uid(), before, limit)
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** The {@code before} parameter: absent or empty → null (the newest page); a message id → itself; else 400. */
  static String before(String before) {
    if (before == null || before.isEmpty()) {
      return null;
    }
    if (!MESSAGE_ID.matcher(before).matches()) {
      throw ApiError.invalidField("before must be a message id");
    }
    return before;
  }

  /** Whether {@code text} has the form of a message id (26 characters of Crockford base 32). */
  static boolean isMessageId(String text) {
    return text != null && MESSAGE_ID.matcher(text).matches();
  }

  /** A user or room id from the path; anything else is 400 (docs/protocol.md#identity-and-auth). */
  static String pathName(RoutingContext ctx, String param) {
    String value = ctx.pathParam(param);
    if (!Ids.isValidName(value)) {
      throw ApiError.invalidField(param + " must be 1-64 characters of [A-Za-z0-9_.:@-]");
    }
    return value;
  }
}
