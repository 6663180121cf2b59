package io.relay.ingest;

import io.vertx.core.json.JsonObject;

/**
 * A validated {@code POST /v1/channels/{channel}/messages} body, under the same {@code body},
 * {@code clientMsgId} and {@code from} rules as {@code POST /v1/messages} ({@link SendRequest}).
 * {@code from} is the publisher as stored: the token's user, or for a backend the optional
 * {@code from} of the body (null for none).
 */
record ChannelPublishRequest(String from, Object body, String clientMsgId, boolean isTransient) {

  static ChannelPublishRequest parse(JsonObject json, Caller caller, int maxBodyBytes) {
    Object body = SendRequest.bodyOf(json, maxBodyBytes);
    String clientMsgId = SendRequest.clientMsgIdOf(json);
    boolean isTransient = JsonBodies.optionalBoolean(json, "transient");
    return new ChannelPublishRequest(SendRequest.senderOf(json, caller), body, clientMsgId, isTransient);
  }
}
