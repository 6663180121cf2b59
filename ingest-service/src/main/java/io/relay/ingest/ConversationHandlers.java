package io.relay.ingest;

import io.relay.model.ConversationId;
import io.relay.service.ApiError;
import io.relay.service.ReadMarkers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/conversations?limit=&before=} (a page of the caller's conversations, most recent
 * first) and {@code POST /v1/conversations/{id}/read {"upTo":…}} (the read marker, forward only),
 * user tokens only. See docs/conversations.md.
 */
final class ConversationHandlers {

  static final int DEFAULT_PAGE = 50;

  private final ConversationList conversations;
  private final ReadMarkers markers;

  ConversationHandlers(ConversationList conversations, ReadMarkers markers) {
    this.conversations = conversations;
    this.markers = markers;
  }

  void list(RoutingContext ctx) {
    String uid = userOf(ctx);
    String before = ConversationList.before(ctx.request().getParam("before"));
    int limit = Pages.limit(ctx, DEFAULT_PAGE);
    conversations.page(uid, before, limit).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  void read(RoutingContext ctx) {
    String uid = userOf(ctx);
    ConversationId conversation = ConversationId.parse(ctx.pathParam("id"));
    if (conversation == null) {
      throw ApiError.invalidField("id must be u:<peer> or r:<room>");
    }
    String upTo = JsonBodies.optionalString(JsonBodies.object(ctx), "upTo");
    if (!RoomHandlers.isMessageId(upTo)) {
      throw ApiError.invalidField("upTo must be a message id");
    }
    markers.moveTo(uid, conversation.toString(), upTo)
        .onSuccess(unread -> ctx.json(new JsonObject().put("unread", unread)))
        .onFailure(ctx::fail);
  }

  private static String userOf(RoutingContext ctx) {
    Caller caller = CallerHandler.of(ctx);
    if (caller.isBackend()) {
      throw ApiError.forbidden("only a user has conversations: use a user token");
    }
    return caller.uid();
  }
}
