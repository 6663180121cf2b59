package io.relay.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A room as {@code POST /v1/rooms} and {@code GET /v1/rooms/{id}} show it:
 * {@code {"id":"r1","owner":"alice","members":["alice","bob"],"created":…}} ({@code owner} null
 * when a backend created it; members sorted).
 */
record Room(String id, String owner, List<String> members, long created) {

  Room {
    members = members.stream().sorted().toList();
  }

  boolean hasMember(String uid) {
    return members.contains(uid);
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("owner", owner).put("members", new JsonArray(members))
        .put("created", created);
  }
}
