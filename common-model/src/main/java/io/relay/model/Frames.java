package io.relay.model;

import io.vertx.core.json.JsonObject;

/** Builders of the server → client frames of §4 that are not log entries. */
public final class Frames {

  private static final String PING = new JsonObject().put("type", "ping").encode();
  private static final String PONG = new JsonObject().put("type", "pong").encode();

  private Frames() {
  }

  public static String hello(String uid, String connectionId, int heartbeatSec, boolean recovered) {
    return new JsonObject()
        .put("type", "hello")
        .put("uid", uid)
        .put("connectionId", connectionId)
        .put("heartbeatSec", heartbeatSec)
        .put("recovered", recovered)
        .encode();
  }

  public static String ping() {
    return PING;
  }

  public static String pong() {
    return PONG;
  }

  public static String error(ErrorCode code, String message) {
    return new JsonObject().put("type", "error").put("code", code.code()).put("message", message).encode();
  }
}
