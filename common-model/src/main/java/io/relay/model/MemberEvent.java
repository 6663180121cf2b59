package io.relay.model;

import io.vertx.core.json.JsonObject;

/**
 * A change of a room's members, stored in the log of every member it affects (docs/rooms-presence.md) so each of
 * their devices can update its room list:
 * {@code {"type":"member","id":"…","room":"r1","uid":"carol","action":"added","by":"alice","ts":…}}.
 * {@code uid} is the member added or removed; {@code by} who did it ({@code null} for a backend);
 * {@code id} a fresh global id to de-duplicate by, as for messages.
 */
public record MemberEvent(String id, String room, String uid, Action action, String by, long ts) {

  /** What happened to {@code uid}. */
  public enum Action {
    ADDED("added"), REMOVED("removed");

    private final String wire;

    Action(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** The JSON stored in the log (the frame without {@code seq}). */
  public String toJson() {
    return new JsonObject()
        .put("type", "member")
        .put("id", id)
        .put("room", room)
        .put("uid", uid)
        .put("action", action.wire())
        .put("by", by)
        .put("ts", ts)
        .encode();
  }
}
