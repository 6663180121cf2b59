package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.service.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated {@code POST /v1/rooms} body (docs/rooms-presence.md): {@code {"id":"r1","members":["a","b"]}}.
 * {@code members} is optional; a creating user becomes owner and member, a backend creates a
 * room without owner. Repeats in {@code members} count once.
 */
record CreateRoomRequest(String id, String owner, List<String> members) {

  static CreateRoomRequest parse(JsonObject json, Caller caller, int maxRoomSize) {
    String id = JsonBodies.optionalString(json, "id");
    if (!Ids.isValidName(id)) {
      throw ApiError.invalidField("id must be 1-64 characters of [A-Za-z0-9_.:@-]");
    }
    Set<String> members = new LinkedHashSet<>();
    if (!caller.isBackend()) {
      members.add(caller.uid());
    }
    members.addAll(names(json.getValue("members")));
    if (members.size() > maxRoomSize) {
      throw new ApiError(ErrorCode.ROOM_FULL, "a room has at most " + maxRoomSize + " members");
    }
    return new CreateRoomRequest(id, caller.uid(), List.copyOf(members));
  }

  private static List<String> names(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw ApiError.invalidField("members must be an array of user ids");
    }
    List<String> names = new ArrayList<>(array.size());
    for (Object member : array) {
      if (!(member instanceof String uid) || !Ids.isValidName(uid)) {
        throw ApiError.invalidField("members must be user ids: 1-64 characters of [A-Za-z0-9_.:@-]");
      }
      names.add(uid);
    }
    return names;
  }
}
