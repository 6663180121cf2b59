package io.relay.model;

/**
 * How Relay uses Redis pub/sub, the one place both services take it from. On one Redis: plain
 * pub/sub ({@code PUBLISH} / {@code SUBSCRIBE}). On a Redis Cluster of Redis 7 or later: sharded
 * pub/sub ({@code SPUBLISH} / {@code SSUBSCRIBE}), where a message goes only to the shard that owns
 * its channel's hash slot instead of every node. The channel names are the same in both modes
 * ({@link RedisKeys#liveChannel}, {@link RedisKeys#nodeLive}, {@link RedisKeys#channelLive}); each
 * carries a hash tag, so a user's live channel lives in the slot of that user's keys and a script
 * writing the user's log may publish on it.
 */
public enum PubSubMode {
  PLAIN("PUBLISH", "SUBSCRIBE", "UNSUBSCRIBE", "message"),
  SHARDED("SPUBLISH", "SSUBSCRIBE", "SUNSUBSCRIBE", "smessage");

  private final String publish;
  private final String subscribe;
  private final String unsubscribe;
  private final String messageKind;

  PubSubMode(String publish, String subscribe, String unsubscribe, String messageKind) {
    this.publish = publish;
    this.subscribe = subscribe;
    this.unsubscribe = unsubscribe;
    this.messageKind = messageKind;
  }

  /** Sharded on a cluster whose servers are Redis 7 or later, else plain. */
  public static PubSubMode of(boolean cluster, int redisMajorVersion) {
    return cluster && redisMajorVersion >= 7 ? SHARDED : PLAIN;
  }

  /** {@code PUBLISH} or {@code SPUBLISH}, also inside the scripts ({@link LuaScript#in}). */
  public String publishCommand() {
    return publish;
  }

  public String subscribeCommand() {
    return subscribe;
  }

  public String unsubscribeCommand() {
    return unsubscribe;
  }

  /** The first element of a pushed message: {@code message} or {@code smessage}. */
  public String messageKind() {
    return messageKind;
  }
}
