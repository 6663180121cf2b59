package io.relay.ingest;

import io.relay.model.ChannelEntry;
import io.relay.model.ChannelMessage;
import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.service.ApiError;
import io.relay.service.ChannelHistory;
import io.relay.service.RelayMetrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/channels/{channel}/messages} (publish) and {@code GET} of the same path (the
 * channel's history). Backends may do both on every channel; a user publishes where its
 * {@code publish} claim allows and reads where its {@code channels} claim allows.
 */
final class ChannelHandlers {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 100;

  private final ChannelStore store;
  private final ChannelHistory history;
  private final RelayMetrics metrics;
  private final int maxBodyBytes;

  ChannelHandlers(ChannelStore store, ChannelHistory history, RelayMetrics metrics, int maxBodyBytes) {
    this.store = store;
    this.history = history;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  void publish(RoutingContext ctx) {
    Caller caller = CallerHandler.of(ctx);
    String channel = channelOf(ctx);
    if (!caller.mayPublish(channel)) {
      throw ApiError.forbidden("your token may not publish on channel " + channel);
    }
    ChannelPublishRequest request = ChannelPublishRequest.parse(JsonBodies.object(ctx), caller, maxBodyBytes);
    ChannelMessage message = new ChannelMessage(channel, Ids.newMessageId(), request.from(), request.body(),
        System.currentTimeMillis());
    if (request.isTransient()) {
      store.publishTransient(message)
          .onSuccess(v -> {
            metrics.channelPublished.increment();
            ctx.response().setStatusCode(202);
            ctx.json(new JsonObject().putNull("delivered"));
          })
          .onFailure(ctx::fail);
      return;
    }
    store.store(message, caller.publisher(), request.clientMsgId())
        .onSuccess(stored -> answer(ctx, stored, message.ts()))
        .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, ChannelStore.Stored stored, long ts) {
    if (stored.duplicate()) {
      MessageHandlers.answerDuplicate(ctx, stored.id());
      return;
    }
    metrics.channelStored.increment();
    metrics.channelPublished.increment();
    ctx.response().setStatusCode(201);
    ctx.json(new JsonObject().put("id", stored.id()).put("offset", stored.offset().toString()).put("ts", ts));
  }

  void history(RoutingContext ctx) {
    Caller caller = CallerHandler.of(ctx);
    String channel = channelOf(ctx);
    if (!caller.maySubscribe(channel)) {
      throw ApiError.forbidden("your token may not read channel " + channel);
    }
    Seq since = MessageHandlers.sinceParam(ctx, "an offset");
    int limit = MessageHandlers.limitParam(ctx, DEFAULT_PAGE, MAX_PAGE);
    String sinceAsGiven = MessageHandlers.sinceAsGiven(ctx);
    // The page first: a trim between the two reads then errs towards recovered:false, never the reverse.
    history.after(channel, since, limit)
        .compose(entries -> history.recovers(channel, since).map(recovered -> page(entries, sinceAsGiven, recovered)))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** An empty page answers {@code next} = the {@code since} the client sent, unchanged. */
  private static JsonObject page(List<ChannelEntry> entries, String since, boolean recovered) {
    JsonArray messages = new JsonArray();
    entries.forEach(entry -> messages.add(new JsonObject(entry.frame())));
    String next = entries.isEmpty() ? since : entries.get(entries.size() - 1).offset().toString();
    return new JsonObject().put("messages", messages).put("next", next).put("recovered", recovered);
  }

  private static String channelOf(RoutingContext ctx) {
    String channel = ctx.pathParam("channel");
    if (!Ids.isValidName(channel)) {
      throw ApiError.invalidField("channel must be 1-64 characters of [A-Za-z0-9_.:@-]");
    }
    return channel;
  }
}
