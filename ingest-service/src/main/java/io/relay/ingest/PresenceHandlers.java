package io.relay.ingest;

import io.relay.model.Ids;
import io.relay.service.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/presence/{uid}} (the user itself or a backend) and
 * {@code GET /v1/presence?uids=a,b} (backends only, up to {@value #MAX_BATCH} distinct users):
 * the presence object (docs/rooms-presence.md), or {@code {"presence":[…]}} in the order asked.
 */
final class PresenceHandlers {

  static final int MAX_BATCH = 100;

  private final PresenceReader reader;

  PresenceHandlers(PresenceReader reader) {
    this.reader = reader;
  }

  void one(RoutingContext ctx) {
    String uid = RoomHandlers.pathName(ctx, "uid");
    Caller caller = CallerHandler.of(ctx);
    if (!caller.isBackend() && !caller.uid().equals(uid)) {
      throw ApiError.forbidden("a user may only read its own presence");
    }
    reader.read(List.of(uid)).onSuccess(presence -> ctx.json(presence.get(0))).onFailure(ctx::fail);
  }

  void many(RoutingContext ctx) {
    if (!CallerHandler.of(ctx).isBackend()) {
      throw ApiError.forbidden("batch presence needs an API key; a user may read GET /v1/presence/{uid} for itself");
    }
    List<String> uids = uidsParam(ctx.request().getParam("uids"));
    reader.read(uids)
        .onSuccess(presence -> ctx.json(new JsonObject().put("presence", new JsonArray(List.copyOf(presence)))))
        .onFailure(ctx::fail);
  }

  private static List<String> uidsParam(String value) {
    if (value == null || value.isBlank()) {
      throw ApiError.invalidField("uids is required: a comma-separated list of user ids");
    }
    Set<String> uids = new LinkedHashSet<>();
    for (String uid : Arrays.asList(value.split(",", -1))) {
      if (!Ids.isValidName(uid.trim())) {
        throw ApiError.invalidField("uids must be user ids: 1-64 characters of [A-Za-z0-9_.:@-]");
      }
      uids.add(uid.trim());
    }
    if (uids.size() > MAX_BATCH) {
      throw ApiError.invalidField("uids may name at most " + MAX_BATCH + " users");
    }
    return List.copyOf(uids);
  }
}
