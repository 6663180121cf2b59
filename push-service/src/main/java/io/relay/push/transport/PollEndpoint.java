package io.relay.push.transport;

import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.relay.push.session.SessionServices;
import io.relay.service.ApiError;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /v1/poll?since=SEQ&wait=SEC[&device=ID]} (§4): long-poll over the same log and
 * cursor as the WebSocket. Answers at once with up to {@value #PAGE} entries after {@code since};
 * with none, holds the request as a {@link HeldPoll} (no thread, no Redis connection of its own)
 * until one is stored or {@code wait} seconds pass. Without {@code since} it reads after the
 * device's acked cursor, as a WebSocket connect does.
 */
public final class PollEndpoint {

  static final int PAGE = 100;
  static final int DEFAULT_WAIT_SEC = 25;
  static final int MAX_WAIT_SEC = 60;

  private final SessionServices services;
  private final FallbackAuth auth;
  private final PollCounters counters;

  public PollEndpoint(SessionServices services, FallbackAuth auth) {
    this.services = services;
    this.auth = auth;
    this.counters = new PollCounters(services.metrics());
  }

  public void handle(RoutingContext ctx) {
    String token = auth.tokenOf(ctx.request());
    Seq since = ResumeParams.since(ctx.request());
    String device = ResumeParams.device(ctx.request());
    int waitSec = waitSeconds(ctx.request());
    auth.verify(token)
        .compose(identity -> poll(ctx, identity.uid(), since, device, waitSec))
        .onSuccess(answer -> reply(ctx, answer))
        .onFailure(e -> {
          if (!ctx.response().closed()) {
            ctx.fail(e);
          }
        });
  }

  private Future<PollAnswer> poll(RoutingContext ctx, String uid, Seq since, String device, int waitSec) {
    Future<Seq> cursor = since != null ? Future.succeededFuture(since) : services.cursors().of(uid, device);
    return cursor
        .compose(after -> read(uid, after))
        .compose(first -> first.entries().isEmpty() && waitSec > 0 ? hold(ctx, uid, first, waitSec)
            : Future.succeededFuture(first));
  }

  private Future<PollAnswer> read(String uid, Seq after) {
    Future<List<LogEntry>> entries = services.logs().after(uid, after, PAGE);
    Future<Boolean> recovered = services.logs().recovers(uid, after);
    return Future.all(entries, recovered).map(all -> new PollAnswer(after, recovered.result(), entries.result()));
  }

  private Future<PollAnswer> hold(RoutingContext ctx, String uid, PollAnswer first, int waitSec) {
    if (ctx.response().closed()) {
      return Future.succeededFuture(first); // gone already: its close handler would never run
    }
    HeldPoll poll = new HeldPoll(services, counters, uid, first.after(), PAGE);
    ctx.response().closeHandler(v -> poll.abandon());
    return poll.hold(waitSec * 1000L).map(first::withEntries);
  }

  private static void reply(RoutingContext ctx, PollAnswer answer) {
    if (ctx.response().closed()) {
      return;
    }
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(answer.json());
  }

  static int waitSeconds(HttpServerRequest request) {
    String wait = request.getParam("wait");
    if (wait == null || wait.isEmpty()) {
      return DEFAULT_WAIT_SEC;
    }
    if (!wait.matches("\\d{1,2}") || Integer.parseInt(wait) > MAX_WAIT_SEC) {
      throw ApiError.invalidField("wait must be whole seconds from 0 to " + MAX_WAIT_SEC);
    }
    return Integer.parseInt(wait);
  }
}
