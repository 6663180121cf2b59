package io.relay.ingest;

import io.relay.model.Ids;
import io.relay.model.LogEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.model.StoredMessage;
import io.relay.service.ApiError;
import io.relay.service.LogReader;
import io.relay.service.RelayMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code POST /v1/messages} (§3) and {@code GET /v1/messages} (§6, the caller's own log). */
final class MessageHandlers {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final MessageStore store;
  private final RoomMessageStore roomStore;
  private final TransientPublisher transients;
  private final LogReader logs;
  private final RelayMetrics metrics;
  private final int maxBodyBytes;

  MessageHandlers(MessageStore store, RoomMessageStore roomStore, TransientPublisher transients, LogReader logs,
      RelayMetrics metrics, int maxBodyBytes) {
    this.store = store;
    this.roomStore = roomStore;
    this.transients = transients;
    this.logs = logs;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  void send(RoutingContext ctx) {
    Caller caller = CallerHandler.of(ctx);
    SendRequest request = SendRequest.parse(JsonBodies.object(ctx), caller, maxBodyBytes);
    StoredMessage message = new StoredMessage(Ids.newMessageId(), request.from(), request.to(), request.room(),
        request.body(), System.currentTimeMillis());
    if (request.isTransient()) {
      transients.publish(message)
          .onSuccess(online -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("delivered", online).encode()))
          .onFailure(ctx::fail);
      return;
    }
    String idempotencyKey = idempotencyKey(request, caller);
    Future<MessageStore.Stored> stored = request.room() != null
        ? roomStore.store(message, !caller.isBackend(), idempotencyKey)
        : store.store(message, List.copyOf(logsOf(request, caller)), idempotencyKey);
    stored.onSuccess(result -> answer(ctx, result, message.ts())).onFailure(ctx::fail);
  }

  /** The recipient's log, plus the sender's when a user sent it or a backend asked for an echo. */
  private static Set<String> logsOf(SendRequest request, Caller caller) {
    Set<String> users = new LinkedHashSet<>();
    users.add(request.to());
    if (request.from() != null && (!caller.isBackend() || request.echo())) {
      users.add(request.from());
    }
    return users;
  }

  private static String idempotencyKey(SendRequest request, Caller caller) {
    if (request.clientMsgId() == null) {
      return null;
    }
    return caller.isBackend()
        ? RedisKeys.backendIdempotency(caller.keyTag(), request.clientMsgId())
        : RedisKeys.idempotency(caller.uid(), request.clientMsgId());
  }

  private void answer(RoutingContext ctx, MessageStore.Stored stored, long ts) {
    if (stored.duplicate()) {
      answerDuplicate(ctx, stored.id());
      return;
    }
    metrics.stored.increment();
    metrics.published.increment(stored.logs());
    ctx.response().setStatusCode(201);
    ctx.json(new JsonObject().put("id", stored.id()).put("ts", ts));
  }

  /** The answer to a repeated {@code clientMsgId}: {@code 200 {"id":<first id>,"duplicate":true}}. */
  static void answerDuplicate(RoutingContext ctx, String firstId) {
    ctx.response().setStatusCode(200);
    ctx.json(new JsonObject().put("id", firstId).put("duplicate", true));
  }

  void list(RoutingContext ctx) {
    Caller caller = CallerHandler.of(ctx);
    if (caller.isBackend()) {
      throw ApiError.forbidden("only a user has a log: use a user token");
    }
    Seq since = sinceParam(ctx, "a seq");
    int limit = limitParam(ctx, DEFAULT_PAGE, MAX_PAGE);
    String sinceAsGiven = sinceAsGiven(ctx);
    logs.after(caller.uid(), since, limit)
        .map(entries -> page(entries, sinceAsGiven))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** An empty page answers {@code next} = the {@code since} the client sent, unchanged (§4). */
  private static JsonObject page(List<LogEntry> entries, String since) {
    JsonArray messages = new JsonArray();
    entries.forEach(entry -> messages.add(new JsonObject(entry.frame())));
    String next = entries.isEmpty() ? since : entries.get(entries.size() - 1).seq().toString();
    return new JsonObject().put("messages", messages).put("next", next);
  }

  /** The {@code since} query parameter ({@code kind}: what it names, for the error), 0 when absent. */
  static Seq sinceParam(RoutingContext ctx, String kind) {
    String since = ctx.request().getParam("since");
    if (since == null || since.isEmpty()) {
      return Seq.ZERO;
    }
    if (!Seq.isValid(since)) {
      throw ApiError.invalidField("since must be " + kind + " like 1732300000000-0");
    }
    return Seq.parse(since);
  }

  /** The {@code since} query parameter as the client wrote it, {@code "0"} when absent. */
  static String sinceAsGiven(RoutingContext ctx) {
    String given = ctx.request().getParam("since");
    return given == null || given.isEmpty() ? "0" : given;
  }

  static int limitParam(RoutingContext ctx, int fallback, int max) {
    String limit = ctx.request().getParam("limit");
    if (limit == null || limit.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw ApiError.invalidField("limit must be an integer from 1 to " + max);
  }
}
