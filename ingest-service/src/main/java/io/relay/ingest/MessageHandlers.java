package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.JsonText;
import io.relay.model.LogEntry;
import io.relay.model.RedisKeys;
import io.relay.model.Seq;
import io.relay.model.StoredMessage;
import io.relay.service.ApiError;
import io.relay.service.RelayMetrics;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code POST /v1/messages} (docs/protocol.md#sending-post-v1messages) and {@code GET /v1/messages} (docs/rooms-presence.md, the caller's own log). */
final class MessageHandlers {

  static final int DEFAULT_PAGE = 100;
  /** Marks a clientMsgId the server chose for a send that came without one. */
  static final String SERVER_ID_PREFIX = "srv-";

  private final MessageStore store;
  private final RoomMessageStore roomStore;
  private final TransientPublisher transients;
  private final EditedLog logs;
  private final RelayMetrics metrics;
  private final SendRates rates;
  private final int maxBodyBytes;

  MessageHandlers(MessageStore store, RoomMessageStore roomStore, TransientPublisher transients, EditedLog logs,
      RelayMetrics metrics, SendRates rates, int maxBodyBytes) {
    this.store = store;
    this.roomStore = roomStore;
    this.transients = transients;
    this.logs = logs;
    this.metrics = metrics;
    this.rates = rates;
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
    // Every stored send is guarded by an idempotency key, the server's own when the client gave
    // none, and a 503 names it: a reply that came too late may hide a stored message, and a retry
    // with that clientMsgId then answers 200 duplicate instead of storing it twice.
    String clientMsgId = request.clientMsgId() != null ? request.clientMsgId() : SERVER_ID_PREFIX + message.id();
    String idempotencyKey = idempotencyKey(clientMsgId, caller);
    Future<MessageStore.Stored> stored = request.room() != null
        ? roomStore.store(message, !caller.isBackend(), idempotencyKey, rates.of(caller))
        : store.store(message, logsOf(request, caller), idempotencyKey, request.clientMsgId() == null,
            rates.of(caller));
    stored.onSuccess(result -> answer(ctx, result, result.ts() != 0 ? result.ts() : message.ts()))
        .onFailure(e -> ctx.fail(namingClientMsgId(e, clientMsgId)));
  }

  /** A 503 names the idempotency key the store was guarded with, so a retry is deduplicated. */
  static Throwable namingClientMsgId(Throwable failure, String clientMsgId) {
    return failure instanceof ApiError error && error.code() == ErrorCode.UNAVAILABLE
        ? error.withDetail("clientMsgId", clientMsgId) : failure;
  }

  /** The recipient's log, plus the sender's when a user sent it or a backend asked for an echo. */
  static List<String> logsOf(SendRequest request, Caller caller) {
    String from = request.from();
    boolean senderToo = from != null && (!caller.isBackend() || request.echo()) && !from.equals(request.to());
    return senderToo ? List.of(request.to(), from) : List.of(request.to());
  }

  private static String idempotencyKey(String clientMsgId, Caller caller) {
    return caller.isBackend()
        ? RedisKeys.backendIdempotency(caller.keyTag(), clientMsgId)
        : RedisKeys.idempotency(caller.uid(), clientMsgId);
  }

  private void answer(RoutingContext ctx, MessageStore.Stored stored, long ts) {
    if (stored.duplicate()) {
      answerDuplicate(ctx, stored.id());
      return;
    }
    metrics.stored.increment();
    metrics.published.increment(stored.logs());
    // Written by hand: a JSON encoder per answer cost as much as the rest of answering.
    StringBuilder body = JsonText.appendString(new StringBuilder(64).append("{\"id\":"), stored.id())
        .append(",\"ts\":").append(ts).append('}');
    ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toString());
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
    int limit = Pages.limit(ctx, DEFAULT_PAGE);
    String sinceAsGiven = sinceAsGiven(ctx);
    logs.after(caller.uid(), since, limit)
        .map(entries -> page(entries, sinceAsGiven))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /**
   * Up to the page's byte budget ({@link Pages}); {@code next} is the seq of the last entry given,
   * so the client continues with {@code since=next}. An empty page answers {@code next} = the
   * {@code since} the client sent, unchanged (docs/protocol.md#websocket).
   */
  private static JsonObject page(List<LogEntry> entries, String since) {
    List<LogEntry> fitting = entries.subList(0, Pages.fitting(entries, entry -> entry.json().length()));
    JsonArray messages = new JsonArray();
    fitting.forEach(entry -> messages.add(new JsonObject(entry.frame())));
    String next = fitting.isEmpty() ? since : fitting.get(fitting.size() - 1).seq().toString();
    return new JsonObject().put("messages", messages).put("next", next);
  }

  /** The {@code since} query parameter ({@code kind}: what it names, for the error), 0 when absent. */
  static Seq sinceParam(RoutingContext ctx, String kind) {
    return since(ctx.request().getParam("since"), kind);
  }

  /** The {@code since} parameter: absent or empty → the start; a seq → itself; else 400. */
  static Seq since(String since) {
    return since(since, "a seq");
  }

  private static Seq since(String since, String kind) {
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
}
