package io.relay.model;

/**
 * The Redis key layout and pub/sub channel names. Every key of a user carries the hash tag
 * {@code {u:<uid>}}, so all of one user's data lives in one Redis Cluster slot and a move to a
 * cluster needs no data migration.
 *
 * <ul>
 *   <li>{@code relay:{u:<uid>}:log} — Stream: the user's ordered log. Entry id = {@code seq};
 *       field {@code m} = the message JSON without {@code seq}.
 *   <li>{@code relay:{u:<uid>}:trimmed} — String: the last seq that retention removed from the
 *       log; a cursor before it has missed entries ({@code recovered: false}).
 *   <li>{@code relay:{u:<uid>}:cursors} — Hash: device → last acked seq.
 *   <li>{@code relay:{u:<uid>}:idem:<clientMsgId>} — String: message id of an earlier send with
 *       that idempotency key by this sender (expires after 24 h).
 *   <li>{@code relay:{k:<keyTag>}:idem:<clientMsgId>} — String: the same for a backend, scoped by
 *       a non-secret fingerprint of its API key.
 *   <li>{@code relay:{u:<uid>}:conn:<connectionId>} — String: JSON binding
 *       {@code {node,id,transport,since}}, expires 2×heartbeat after its last refresh.
 *   <li>{@code relay:{u:<uid>}:conns} — Set: the connection ids that may have a binding key.
 *   <li>channel {@code relay:{u:<uid>}:live} — pub/sub: each stored entry of the user's log, as
 *       the frame JSON with {@code seq}. Push nodes subscribe only while they hold a connection of
 *       that user.
 * </ul>
 */
public final class RedisKeys {

  private RedisKeys() {
  }

  /** The hash-tagged prefix of every key of user {@code uid}. */
  public static String user(String uid) {
    return "relay:{u:" + uid + "}:";
  }

  public static String log(String uid) {
    return user(uid) + "log";
  }

  public static String trimmed(String uid) {
    return user(uid) + "trimmed";
  }

  public static String cursors(String uid) {
    return user(uid) + "cursors";
  }

  public static String idempotency(String senderId, String clientMsgId) {
    return user(senderId) + "idem:" + clientMsgId;
  }

  public static String backendIdempotency(String keyTag, String clientMsgId) {
    return "relay:{k:" + keyTag + "}:idem:" + clientMsgId;
  }

  public static String binding(String uid, String connectionId) {
    return user(uid) + "conn:" + connectionId;
  }

  public static String bindings(String uid) {
    return user(uid) + "conns";
  }

  public static String liveChannel(String uid) {
    return user(uid) + "live";
  }

  /** Inverse of {@link #liveChannel}: the user id, or null when {@code channel} is not one. */
  public static String uidOfLiveChannel(String channel) {
    String prefix = "relay:{u:";
    String suffix = "}:live";
    if (!channel.startsWith(prefix) || !channel.endsWith(suffix)) {
      return null;
    }
    return channel.substring(prefix.length(), channel.length() - suffix.length());
  }
}
