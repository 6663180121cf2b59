package io.relay.service.warmup;

import io.relay.model.Ids;
import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.relay.model.StoredMessage;
import io.relay.service.LogWriter;
import io.relay.service.RedisFactory;
import io.relay.service.RedisGateway;
import io.relay.service.RelayAuth;
import io.relay.service.RelayMetrics;
import io.relay.service.SharedConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm-up pass over loopback, shaped like the real traffic: {@code clients} WebSockets
 * connect with tokens the pass mints (verified as a push node does); {@code messages} JSON sends
 * go over keep-alive HTTP with an API key; each is validated, stored through the real
 * {@link LogWriter} script call (answered by {@link LoopbackRedis}), published, read back from a
 * pub/sub subscription as a routed payload and written to its recipient's socket as a message
 * frame. Completes when every frame arrived, or with what arrived when {@code deadlineMs} passes.
 */
final class WarmupRun {

  private static final Logger LOG = LoggerFactory.getLogger(WarmupRun.class);

  /** What a pass did. */
  record Result(int sent, int delivered, int failed) {
  }

  private static final String LIVE = "relay:warmup:live";
  private static final int IN_FLIGHT = 64;
  /** Longest wait for the requests in flight after the deadline. */
  private static final long DRAIN_MS = 2_000;

  private final Vertx vertx;
  private final int clients;
  private final int messages;
  private final Map<String, ServerWebSocket> sockets = new HashMap<>();
  private final Promise<Result> done = Promise.promise();
  private LoopbackRedis redisStandIn;
  private RedisGateway redis;
  private LogWriter writer;
  private RelayAuth auth;
  private HttpClientAgent http;
  private WebSocketClient webSockets;
  private HttpServer server;
  private RedisConnection subscription;
  private String apiKey;
  private int sent;
  private int delivered;
  private int failed;
  private int inFlight;
  private boolean stopping;

  WarmupRun(Vertx vertx, int clients, int messages) {
    this.vertx = vertx;
    this.clients = clients;
    this.messages = messages;
  }

  /**
   * Runs the pass on one event-loop context (the caller's, or a new one): every server, client and
   * callback of the pass then runs on one thread, as a node's verticle does, and shares its state
   * without locks.
   */
  Future<Result> run(long deadlineMs) {
    Promise<Result> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> start(deadlineMs).onComplete(result));
    return result.future();
  }

  private Future<Result> start(long deadlineMs) {
    vertx.setTimer(Math.max(1, deadlineMs), t -> finish());
    vertx.setTimer(Math.max(1, deadlineMs) + DRAIN_MS, t -> done.tryComplete(new Result(sent, delivered, failed)));
    redisStandIn = new LoopbackRedis();
    return redisStandIn.start(vertx)
        .compose(this::connectRedis)
        .compose(v -> serve())
        .compose(this::connectClients)
        .onSuccess(this::send)
        .onFailure(done::tryFail)
        .transform(started -> done.future())
        .eventually(this::close);
  }

  private Future<Void> connectRedis(int port) {
    apiKey = UUID.randomUUID().toString();
    SharedConfig config = SharedConfig.fromEnv(Map.of(
        "REDIS_URL", "redis://127.0.0.1:" + port,
        "RELAY_NODE_ID", "warmup",
        "RELAY_JWT_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID(),
        "RELAY_API_KEYS", apiKey));
    redis = RedisGateway.create(vertx, config, new RelayMetrics());
    writer = new LogWriter(redis, config);
    auth = RelayAuth.create(vertx, config);
    Redis subscriber = Redis.createClient(vertx, RedisFactory.options(config));
    return redis.syncClock()
        .compose(v -> subscriber.connect())
        .compose(connection -> {
          subscription = connection;
          connection.handler(this::onLive);
          return subscribe(connection);
        });
  }

  private static Future<Void> subscribe(RedisConnection connection) {
    return connection.send(Request.cmd(Command.SUBSCRIBE).arg(LIVE)).mapEmpty();
  }

  private Future<Integer> serve() {
    Router router = Router.router(vertx);
    router.post("/v1/messages").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::store);
    router.get("/v1/ws").handler(this::upgrade);
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
        .setCompressionSupported(true)).requestHandler(router);
    return server.listen().map(HttpServer::actualPort);
  }

  /** Like POST /v1/messages: API key, JSON body, validation, one script call, 201 with id and ts. */
  private void store(RoutingContext ctx) {
    if (!auth.isApiKey(ctx.request().getHeader("X-Api-Key"))) {
      ctx.response().setStatusCode(401).end();
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    String to = body.getString("to");
    String from = body.getString("from");
    if (!Ids.isValidName(to) || !Ids.isValidName(from) || body.getValue("body") == null) {
      ctx.response().setStatusCode(400).end();
      return;
    }
    StoredMessage message = new StoredMessage(Ids.newMessageId(), from, to, null, body.getValue("body"),
        System.currentTimeMillis());
    String json = message.toJson();
    writer.append(json, new LogWriter.Index(message.id(), from, to, message.locator()), List.of(to),
            new LogWriter.Once("warmup:once:" + message.id(), message.id(), 60))
        .compose(reply -> redis.send(Request.cmd(Command.PUBLISH).arg(LIVE)
            .arg("R\n" + to + " " + reply.get(1).toString() + "\n\n" + json)))
        .onSuccess(published -> {
          ctx.response().setStatusCode(201);
          ctx.json(new JsonObject().put("id", message.id()).put("ts", message.ts()));
        })
        .onFailure(ctx::fail);
  }

  /** Like a push node's handshake: token check before the upgrade, then a hello frame. */
  private void upgrade(RoutingContext ctx) {
    ctx.request().pause();
    auth.verify(ctx.request().getParam("token")).onComplete(verified -> {
      if (verified.failed()) {
        ctx.request().resume();
        ctx.response().setStatusCode(401).end();
        return;
      }
      String uid = verified.result().uid();
      ctx.request().toWebSocket().onSuccess(ws -> {
        sockets.put(uid, ws);
        ws.closeHandler(v -> sockets.remove(uid));
        ws.writeTextMessage(new JsonObject().put("type", "hello").put("uid", uid).encode());
      }).onFailure(e -> LOG.debug("warm-up upgrade failed: {}", e.toString()));
    });
  }

  /** A routed payload ({@code R\n<uid> <seq>\n\n<json>}) to its recipient's socket as a message frame. */
  private void onLive(Response reply) {
    if (reply.type() != ResponseType.PUSH || !"message".equals(reply.get(0).toString())) {
      return;
    }
    String payload = reply.get(2).toString();
    int space = payload.indexOf(' ');
    int end = payload.indexOf("\n\n");
    ServerWebSocket ws = sockets.get(payload.substring(2, space));
    if (ws != null) {
      ws.writeTextMessage(new LogEntry(Seq.parse(payload.substring(space + 1, end)), payload.substring(end + 2)).frame());
    }
  }

  private Future<Void> connectClients(int port) {
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(IN_FLIGHT / 4));
    webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients));
    List<Future<?>> connected = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      String uid = "warmup" + i;
      connected.add(webSockets.connect(port, "127.0.0.1", "/v1/ws?token=" + auth.mint(uid, 600))
          .compose(WarmupRun::helloOf)
          .onSuccess(socket -> socket.textMessageHandler(this::onFrame)));
    }
    return Future.all(connected).mapEmpty();
  }

  /** The socket once its hello arrived: the server has registered it, so no frame for it is lost. */
  private static Future<WebSocket> helloOf(WebSocket socket) {
    Promise<WebSocket> hello = Promise.promise();
    socket.textMessageHandler(text -> hello.tryComplete(socket));
    return hello.future();
  }

  private void onFrame(String text) {
    if (text.startsWith(LogEntry.FRAME_HEAD) && ++delivered == messages) {
      finish();
    }
  }

  private void send(Object ignored) {
    for (int i = 0; i < IN_FLIGHT; i++) {
      sendNext();
    }
  }

  private void sendNext() {
    if (sent == messages || stopping) {
      if (stopping && inFlight == 0) {
        done.tryComplete(new Result(sent, delivered, failed));
      }
      return;
    }
    Buffer body = new JsonObject().put("from", "warmup").put("to", "warmup" + sent % clients)
        .put("body", "w".repeat(100)).toBuffer();
    sent++;
    inFlight++;
    http.request(HttpMethod.POST, "/v1/messages")
        .compose(request -> request.putHeader("X-Api-Key", apiKey).putHeader("Content-Type", "application/json")
            .send(body))
        .compose(HttpClientResponse::body)
        .onComplete(answered -> {
          inFlight--;
          if (answered.failed()) {
            failed++;
          }
          sendNext();
        });
  }

  /**
   * Sends no more and completes once the requests in flight are answered (or at once if none
   * are), so closing cuts nothing off; frames still on their way are not waited for.
   */
  private void finish() {
    stopping = true;
    if (inFlight == 0) {
      done.tryComplete(new Result(sent, delivered, failed));
    }
  }

  /** Clients first, then the server and the Redis side, so nothing is cut off mid-request. */
  private Future<Void> close() {
    List<Future<?>> clientsClosed = new ArrayList<>();
    if (http != null) {
      clientsClosed.add(http.close());
    }
    if (webSockets != null) {
      clientsClosed.add(webSockets.close());
    }
    return Future.join(clientsClosed).transform(v -> {
      List<Future<?>> rest = new ArrayList<>();
      if (server != null) {
        rest.add(server.close());
      }
      if (subscription != null) {
        rest.add(subscription.close());
      }
      if (redis != null) {
        rest.add(redis.close());
      }
      rest.add(redisStandIn.close());
      return Future.join(rest);
    }).mapEmpty();
  }
}
