package io.relay.ingest;

import io.relay.service.CorsPolicy;
import io.relay.service.ErrorRenderer;
import io.relay.service.OpsRoutes;
import io.relay.service.RefusedRequests;
import io.relay.service.RelayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** The ingest-service's routes: one line each. Shared by every {@link IngestVerticle} and the tests. */
final class IngestRoutes {

  /** Room for the envelope around a body of the largest allowed size. */
  static final int ENVELOPE_BYTES = 16 * 1024;

  /**
   * The largest request read at all. The exact limit applies to the re-serialized body later; a
   * client that escapes non-ASCII ({@code \u4e2d}) sends up to 6 bytes per UTF-8 byte of it.
   */
  static int requestLimit(int maxBodyBytes) {
    return (int) Math.min(Integer.MAX_VALUE, 6L * maxBodyBytes + ENVELOPE_BYTES);
  }

  private IngestRoutes() {
  }

  static Router router(Vertx vertx, IngestConfig config, CallerHandler caller, MessageHandlers messages,
      MessageChangeHandlers changes, ConversationHandlers conversations, TokenHandler tokens, RoomHandlers rooms, PresenceHandlers presence, ChannelHandlers channels, OpsRoutes ops,
      RelayMetrics metrics) {
    Router router = Router.router(vertx);
    RefusedRequests.mount(router, metrics);
    ErrorRenderer.install(router);
    new CorsPolicy(config.shared().corsOrigins()).mount(router);
    ops.mount(router);
    // Who is calling first: a request without valid credentials is refused before its body is read.
    router.route("/v1/*").handler(caller);
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(requestLimit(config.shared().maxBodyBytes()));
    router.route("/v1/*").handler(ctx -> readBody(ctx, bodies));
    router.post("/v1/messages").handler(messages::send);
    router.get("/v1/messages").handler(messages::list);
    router.patch("/v1/messages/:id").handler(changes::edit);
    router.delete("/v1/messages/:id").handler(changes::recall);
    router.get("/v1/conversations").handler(conversations::list);
    router.post("/v1/conversations/:id/read").handler(conversations::read);
    router.post("/v1/tokens").handler(tokens::mint);
    router.post("/v1/rooms").handler(rooms::create);
    router.get("/v1/rooms/:id").handler(rooms::get);
    router.delete("/v1/rooms/:id").handler(rooms::delete);
    router.put("/v1/rooms/:id/members/:uid").handler(rooms::addMember);
    router.delete("/v1/rooms/:id/members/:uid").handler(rooms::removeMember);
    router.get("/v1/rooms/:id/messages").handler(rooms::history);
    router.post("/v1/channels/:channel/messages").handler(channels::publish);
    router.get("/v1/channels/:channel/messages").handler(channels::history);
    router.get("/v1/presence").handler(presence::many);
    router.get("/v1/presence/:uid").handler(presence::one);
    return router;
  }

  /**
   * Reads the body of the methods that carry one; for the others (GET, HEAD, OPTIONS) lets the
   * paused request run to its end unread (the body handler would refuse to decode a form there).
   */
  private static void readBody(RoutingContext ctx, BodyHandler bodies) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
        || method == HttpMethod.DELETE) {
      bodies.handle(ctx);
      return;
    }
    ctx.request().resume();
    ctx.next();
  }
}
