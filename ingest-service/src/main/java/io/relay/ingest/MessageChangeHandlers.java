package io.relay.ingest;

import io.relay.model.MessageChange;
import io.relay.service.ApiError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PATCH /v1/messages/{id} {"body":…}} (the sender, within {@code RELAY_EDIT_WINDOW_SEC}) →
 * {@code 200 {"id":…,"edited":true}}; {@code DELETE /v1/messages/{id}} (the sender, or an API
 * key) → {@code 200 {"id":…,"recalled":true}}. See docs/conversations.md.
 */
final class MessageChangeHandlers {

  private final MessageChanges changes;
  private final SendRates rates;
  private final int maxBodyBytes;

  MessageChangeHandlers(MessageChanges changes, SendRates rates, int maxBodyBytes) {
    this.changes = changes;
    this.rates = rates;
    this.maxBodyBytes = maxBodyBytes;
  }

  void edit(RoutingContext ctx) {
    Caller caller = CallerHandler.of(ctx);
    String id = messageId(ctx);
    if (caller.isBackend()) {
      throw ApiError.forbidden("only the sender may edit a message: use its user token");
    }
    Object body = SendRequest.bodyOf(JsonBodies.object(ctx), maxBodyBytes);
    MessageChange edit = MessageChange.edit(id, body, caller.uid(), System.currentTimeMillis());
    changes.apply(edit, caller.uid(), rates.of(caller))
        .onSuccess(logs -> ctx.json(new JsonObject().put("id", id).put("edited", true)))
        .onFailure(ctx::fail);
  }

  void recall(RoutingContext ctx) {
    Caller caller = CallerHandler.of(ctx);
    String id = messageId(ctx);
    MessageChange recall = MessageChange.recallOf(id, caller.uid(), System.currentTimeMillis());
    changes.apply(recall, caller.uid(), rates.of(caller))
        .onSuccess(logs -> ctx.json(new JsonObject().put("id", id).put("recalled", true)))
        .onFailure(ctx::fail);
  }

  private static String messageId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!RoomHandlers.isMessageId(id)) {
      throw ApiError.invalidField("id must be a message id");
    }
    return id;
  }
}
