package io.relay.ingest;

import io.relay.model.ChannelPatterns;
import io.relay.model.Ids;
import io.relay.service.ApiError;
import io.relay.service.RelayAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/tokens}: a backend mints a user token, optionally with channel rights. */
final class TokenHandler {

  static final int DEFAULT_TTL_SEC = 3600;
  static final int MAX_TTL_SEC = 30 * 24 * 3600;

  private final RelayAuth auth;

  TokenHandler(RelayAuth auth) {
    this.auth = auth;
  }

  void mint(RoutingContext ctx) {
    if (!CallerHandler.of(ctx).isBackend()) {
      throw ApiError.forbidden("minting tokens needs an API key");
    }
    JsonObject json = JsonBodies.object(ctx);
    String uid = JsonBodies.optionalString(json, "uid");
    if (!Ids.isValidName(uid)) {
      throw ApiError.invalidField("uid must be 1-64 characters of [A-Za-z0-9_.:@-]");
    }
    ctx.json(new JsonObject().put("token",
        auth.mint(uid, ttlOf(json), patternsOf(json, "channels"), patternsOf(json, "publish"))));
  }

  /** The optional channel rights {@code channels} / {@code publish}: channel names or prefixes ending in {@code *}. */
  private static ChannelPatterns patternsOf(JsonObject json, String name) {
    try {
      return ChannelPatterns.fromJson(json.getValue(name), name);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidField(name + " must be a list of at most " + ChannelPatterns.MAX_PATTERNS
          + " channel names or prefixes ending in * (1-64 characters of [A-Za-z0-9_.:@-])");
    }
  }

  private static int ttlOf(JsonObject json) {
    Object ttl = json.getValue("ttlSec");
    if (ttl == null) {
      return DEFAULT_TTL_SEC;
    }
    if (!(ttl instanceof Integer || ttl instanceof Long) || ((Number) ttl).longValue() < 1
        || ((Number) ttl).longValue() > MAX_TTL_SEC) {
      throw ApiError.invalidField("ttlSec must be an integer from 1 to " + MAX_TTL_SEC);
    }
    return ((Number) ttl).intValue();
  }
}
