package io.relay.model;

/**
 * The Redis key layout and pub/sub channel names. Every key of a user carries the hash tag
 * {@code {u:<uid>}}, so all of one user's data lives in one Redis Cluster slot and a move to a
 * cluster needs no data migration.
 *
 * <ul>
 *   <li>{@code relay:{u:<uid>}:log} — Stream: the user's ordered log. Entry id = {@code seq};
 *       field {@code m} = the message JSON without {@code seq}.
 *   <li>{@code relay:{u:<uid>}:ids} — Hash: message id → its sender ({@code ""} for none), for
 *       every message still in the user's log; retention removes a field with its entry. Lets a
 *       read receipt check in one lookup that the reader received the message.
 *   <li>{@code relay:{u:<uid>}:trimmed} — String: the last seq that retention removed from the
 *       log; a cursor before it has missed entries ({@code recovered: false}).
 *   <li>{@code relay:{u:<uid>}:cursors} — Hash: device → last acked seq.
 *   <li>{@code relay:{u:<uid>}:idem:<clientMsgId>} — String: message id of an earlier send with
 *       that idempotency key by this sender (expires after 24 h).
 *   <li>{@code relay:{k:<keyTag>}:idem:<clientMsgId>} — String: the same for a backend, scoped by
 *       a non-secret fingerprint of its API key. A send without {@code clientMsgId} gets one from
 *       the server ({@code srv-<message id>}), so every stored message has such a key.
 *   <li>{@code relay:{u:<uid>}:rate} — Hash: the user's send budget, a token bucket ({@code t} =
 *       tokens left, {@code at} = ms of the last update, on Redis's clock), taken by every storing
 *       script ({@code take_token} in {@code log-append.lua}); expires once it would be full again.
 *   <li>{@code relay:{k:<keyTag>}:rate} — Hash: the same for a backend's API key.
 *   <li>{@code relay:{u:<uid>}:conn:<connectionId>} — String: JSON binding
 *       {@code {node,id,transport,since}}, expires 2×heartbeat after its last refresh.
 *   <li>{@code relay:{u:<uid>}:conns} — Set: the connection ids that may have a binding key.
 *   <li>{@code relay:{u:<uid>}:routes} — Hash: connection id → the node holding it, written and
 *       removed with each binding (same TTL): the room scripts read a member's nodes from it in
 *       one command.
 *   <li>channel {@code relay:{u:<uid>}:live} — pub/sub: each stored entry of the user's log but
 *       room entries (direct messages, receipts, room-created events), as the frame JSON with
 *       {@code seq}. Push nodes subscribe only while they hold a connection of that user.
 *       Transient frames (never stored, no {@code seq}) are published here too.
 *   <li>{@code relay:{u:<sender>}:read:<msgId>:<reader>} — String: a receipt for that message by
 *       that reader was stored (expires after 24 h; a repeat within it stores nothing).
 *   <li>{@code relay:{u:<uid>}:convs} — Sorted set: the user's conversations ({@code u:<peer>},
 *       {@code r:<room>}) scored by the position of their last message in the log
 *       ({@code ms × 1000 + sequence} of its seq), for "most recent first" pages.
 *   <li>{@code relay:{u:<uid>}:conv:<conversation>} — Hash: {@code read} (read marker: a message
 *       id), {@code rs} (the marker's score); and {@code last} (last message JSON), {@code lastId},
 *       {@code ls} (its edit state) only once retention removed the conversation's last message
 *       from the log: until then it is read from the log at its {@code convs} score.
 *   <li>{@code relay:{u:<uid>}:unread:<conversation>} — Sorted set: exactly the unread messages of
 *       that conversation (from others, after the marker, not recalled, still in the log), id →
 *       score; its size is the unread count.
 *   <li>{@code relay:{u:<uid>}:edits} — Hash: message id → {@code r} (recalled) or {@code e<body
 *       JSON>} (edited), for messages of the log that were changed; retention removes a field with
 *       its entry. In a user log the message index value is {@code <sender> <seq> <conversation>}.
 *       All of these are written by the storing scripts in the same step as the log entry; see
 *       docs/conversations.md.
 *   <li>{@code relay:{m:<messageId>}:at} — String: where a message lives, {@code
 *       <from>\t<to>\t<room>\t<ts>} ({@code \tr} appended once recalled), for edits and recalls;
 *       expires after the retention age (at least a day).
 *   <li>{@code relay:{r:<room>}:edits} — Hash: the same edit states for the room's history.
 *   <li>{@code relay:{r:<room>}:meta} — Hash: {@code owner} (uid, {@code ""} when a backend
 *       created the room), {@code created} (ms). Exists exactly when the room does.
 *   <li>{@code relay:{r:<room>}:members} — Set: the member uids.
 *   <li>{@code relay:{r:<room>}:history} — Stream: the room's messages, as in a user log (field
 *       {@code m} = message JSON, {@code i} = its id), with the same retention.
 *   <li>{@code relay:{r:<room>}:ids} — Hash: message id → its position in the history (the
 *       {@code before} of a history page).
 *   <li>{@code relay:{c:<channel>}:history} — Stream: the channel's last {@code RELAY_CHANNEL_HISTORY}
 *       messages. Entry id = offset; field {@code m} = the message frame JSON without
 *       {@code offset}, field {@code i} = the message id.
 *   <li>{@code relay:{c:<channel>}:trimmed} — String: the last offset trimmed from the history;
 *       a {@code since} before it has missed entries ({@code recovered: false}).
 *   <li>{@code relay:{c:<channel>}:idem:<publisher>:<clientMsgId>} — String: message id of an
 *       earlier publish with that key by that publisher ({@code u:<uid>} or {@code k:<keyTag>}),
 *       expires after 24 h.
 *   <li>channel {@code relay:{c:<channel>}:live} — pub/sub: each stored channel message as its
 *       frame JSON with {@code "offset"} first ({@link ChannelEntry}); transient channel messages
 *       as frames without offset. A push node subscribes once while any of its connections wants
 *       the channel.
 *   <li>channel {@code relay:{n:<nodeId>}:live} — pub/sub: what is routed to one push node by the
 *       bindings: room messages and member events, once per node holding members, as
 *       {@code R\n<uid> <seq>\n…\n\n<entry JSON without seq>} (the room scripts read each
 *       member's {@code routes} hash to group members by node).
 *       Every push node subscribes its own from startup.
 * </ul>
 *
 * <p>The room scripts read a room's member set and write each member's log in one call, so they
 * touch keys of several slots: that is atomic on one Redis; a Redis Cluster would need one call
 * per shard instead.
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

  public static String messageIds(String uid) {
    return user(uid) + "ids";
  }

  public static String conversations(String uid) {
    return user(uid) + "convs";
  }

  public static String conversation(String uid, String conversation) {
    return user(uid) + "conv:" + conversation;
  }

  public static String unread(String uid, String conversation) {
    return user(uid) + "unread:" + conversation;
  }

  public static String edits(String uid) {
    return user(uid) + "edits";
  }

  public static String roomEdits(String room) {
    return room(room) + "edits";
  }

  public static String messageLocator(String messageId) {
    return "relay:{m:" + messageId + "}:at";
  }

  public static String receiptOnce(String sender, String messageId, String reader) {
    return user(sender) + "read:" + messageId + ":" + reader;
  }

  /** The hash-tagged prefix of every key of room {@code room}. */
  public static String room(String room) {
    return "relay:{r:" + room + "}:";
  }

  public static String roomMeta(String room) {
    return room(room) + "meta";
  }

  public static String roomMembers(String room) {
    return room(room) + "members";
  }

  public static String roomHistory(String room) {
    return room(room) + "history";
  }

  public static String roomIds(String room) {
    return room(room) + "ids";
  }

  public static String cursors(String uid) {
    return user(uid) + "cursors";
  }

  public static String idempotency(String senderId, String clientMsgId) {
    return user(senderId) + "idem:" + clientMsgId;
  }

  /** The hash-tagged prefix of every key of the backend whose API key has fingerprint {@code keyTag}. */
  public static String backend(String keyTag) {
    return "relay:{k:" + keyTag + "}:";
  }

  public static String backendIdempotency(String keyTag, String clientMsgId) {
    return backend(keyTag) + "idem:" + clientMsgId;
  }

  /** The send budget (token bucket) of user {@code uid}. */
  public static String userRate(String uid) {
    return user(uid) + "rate";
  }

  /** The send budget (token bucket) of the API key with fingerprint {@code keyTag}. */
  public static String backendRate(String keyTag) {
    return backend(keyTag) + "rate";
  }

  public static String binding(String uid, String connectionId) {
    return user(uid) + "conn:" + connectionId;
  }

  public static String bindings(String uid) {
    return user(uid) + "conns";
  }

  /** Hash: connection id → node id of user {@code uid}'s bindings, what room entries are routed by. */
  public static String routes(String uid) {
    return user(uid) + "routes";
  }

  public static String liveChannel(String uid) {
    return user(uid) + "live";
  }

  /** Inverse of {@link #liveChannel}: the user id, or null when {@code channel} is not one. */
  public static String uidOfLiveChannel(String channel) {
    return between(channel, "relay:{u:", "}:live");
  }
  /** The hash-tagged prefix of every key of channel {@code channel}. */
  public static String channel(String channel) {
    return "relay:{c:" + channel + "}:";
  }

  public static String channelHistory(String channel) {
    return channel(channel) + "history";
  }

  public static String channelTrimmed(String channel) {
    return channel(channel) + "trimmed";
  }

  /** {@code publisher} is {@code u:<uid>} for a user, {@code k:<keyTag>} for an API key. */
  public static String channelIdempotency(String channel, String publisher, String clientMsgId) {
    return channel(channel) + "idem:" + publisher + ":" + clientMsgId;
  }

  public static String channelLive(String channel) {
    return channel(channel) + "live";
  }

  /** Inverse of {@link #channelLive}: the channel name, or null when {@code pubsubChannel} is not one. */
  public static String channelOfLive(String pubsubChannel) {
    return between(pubsubChannel, "relay:{c:", "}:live");
  }

  /** The pub/sub channel of push node {@code nodeId}: entries routed to it by the bindings. */
  public static String nodeLive(String nodeId) {
    return "relay:{n:" + nodeId + "}:live";
  }

  private static String between(String text, String prefix, String suffix) {
    if (!text.startsWith(prefix) || !text.endsWith(suffix) || text.length() < prefix.length() + suffix.length()) {
      return null;
    }
    return text.substring(prefix.length(), text.length() - suffix.length());
  }
}
