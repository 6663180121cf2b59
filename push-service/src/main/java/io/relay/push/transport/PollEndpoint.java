package io.relay.push.transport;

import io.relay.model.ChannelEntry;
import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.relay.push.channel.ChannelParams;
import io.relay.push.channel.ChannelPoll;
import io.relay.push.channel.ChannelServices;
import io.relay.push.session.SessionServices;
import io.relay.push.session.SetupGate;
import io.relay.service.ApiError;
import io.relay.service.Identity;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/poll?since=SEQ&wait=SEC[&device=ID]} (docs/protocol.md#websocket): long-poll over the same log and
 * cursor as the WebSocket. Answers at once with up to {@value #PAGE} entries after {@code since};
 * with none, holds the request as a {@link HeldPoll} (no thread, no Redis connection of its own)
 * until one is stored or {@code wait} seconds pass. Without {@code since} it reads after the
 * device's acked cursor, as a WebSocket connect does. With {@code channels=a:OFFSET,b} the answer
 * also carries those channels' messages after each offset (or after the newest one, without),
 * and a message in any of them answers a held poll too.
 */
public final class PollEndpoint {

  static final int PAGE = 100;
  static final int DEFAULT_WAIT_SEC = 25;
  static final int MAX_WAIT_SEC = 60;

  private final SessionServices services;
  private final ChannelServices channels;
  private final FallbackAuth auth;
  private final PollCounters counters;

  public PollEndpoint(SessionServices services, ChannelServices channels, FallbackAuth auth) {
    this.services = services;
    this.channels = channels;
    this.auth = auth;
    this.counters = new PollCounters(services.metrics());
  }

  public void handle(RoutingContext ctx) {
    String token = auth.tokenOf(ctx.request());
    Seq since = ResumeParams.since(ctx.request());
    String device = ResumeParams.device(ctx.request());
    int waitSec = waitSeconds(ctx.request());
    auth.verify(token)
        .compose(identity -> poll(ctx, identity, since, device, waitSec))
        .onSuccess(answer -> reply(ctx, answer))
        .onFailure(e -> {
          if (!ctx.response().closed() && !(e instanceof SetupGate.Abandoned)) {
            ctx.fail(e);
          }
        });
  }

  private Future<PollAnswer> poll(RoutingContext ctx, Identity identity, Seq since, String device, int waitSec) {
    String uid = identity.uid();
    Map<String, Seq> requested = ChannelParams.parse(ctx.request().getParam("channels"), identity,
        channels.settings().maxChannels());
    Future<ChannelPoll> polled = requested.isEmpty() ? Future.succeededFuture()
        : ChannelPoll.start(channels, requested, PAGE);
    // The first read takes its turn with the other connection set-ups; holding the poll does not.
    return services.setups().enter(() -> ctx.response().closed())
        .compose(turn -> firstRead(uid, since, device, polled).onComplete(done -> turn.release()))
        .compose(first -> first.isEmpty() && waitSec > 0 ? hold(ctx, uid, first, waitSec)
            : Future.succeededFuture(first));
  }

  private Future<PollAnswer> firstRead(String uid, Seq since, String device, Future<ChannelPoll> polled) {
    Future<Seq> cursor = since != null ? Future.succeededFuture(since) : services.cursors().of(uid, device);
    return Future.all(polled, cursor).compose(all -> read(uid, cursor.result(), polled.result()));
  }

  private Future<PollAnswer> read(String uid, Seq after, ChannelPoll polled) {
    Future<Boolean> recovered = services.logs().recovers(uid, after);
    Future<PollAnswer> found = reread(uid, new PollAnswer(after, true, List.of(), polled, Map.of()));
    return Future.all(recovered, found).map(all -> new PollAnswer(after, recovered.result(),
        found.result().entries(), polled, found.result().channelEntries()));
  }

  /** The log after the answer's cursor and each polled channel after its start. */
  private Future<PollAnswer> reread(String uid, PollAnswer answer) {
    Future<List<LogEntry>> entries = services.logs().after(uid, answer.after(), PAGE);
    Future<Map<String, List<ChannelEntry>>> inChannels = answer.channels() == null ? Future.succeededFuture(Map.of())
        : answer.channels().read();
    return Future.all(entries, inChannels).map(all -> answer.withEntries(entries.result(), inChannels.result()));
  }

  private Future<PollAnswer> hold(RoutingContext ctx, String uid, PollAnswer first, int waitSec) {
    if (ctx.response().closed()) {
      return Future.succeededFuture(first); // gone already: its close handler would never run
    }
    HeldPoll poll = new HeldPoll(services, counters, uid, first, () -> reread(uid, first), first.channels());
    ctx.response().closeHandler(v -> poll.abandon());
    return poll.hold(waitSec * 1000L);
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
    return waitSeconds(request.getParam("wait"));
  }

  /** The {@code wait} value: whole seconds 0-60, 25 when absent; throws {@code 400 invalid_field}. */
  static int waitSeconds(String wait) {
    if (wait == null || wait.isEmpty()) {
      return DEFAULT_WAIT_SEC;
    }
    if (!wait.matches("\\d{1,2}") || Integer.parseInt(wait) > MAX_WAIT_SEC) {
      throw ApiError.invalidField("wait must be whole seconds from 0 to " + MAX_WAIT_SEC);
    }
    return Integer.parseInt(wait);
  }
}
