package io.relay.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A Lua script shipped as a resource of this package, with the SHA-1 that EVALSHA needs. */
public record LuaScript(String name, String source, String sha1) {

  /** Stores a message (or receipt) in its logs and publishes it: see {@code store-message.lua}. */
  public static final LuaScript STORE_MESSAGE = withLogAppend("store-message.lua");
  /** Stores a room message in the history and every member's log: see {@code store-room-message.lua}. */
  public static final LuaScript STORE_ROOM_MESSAGE = withLogAppend("store-room-message.lua");
  /** Creates a room and tells its first members: see {@code room-create.lua}. */
  public static final LuaScript ROOM_CREATE = withLogAppend("room-create.lua");
  /** Adds or removes a member and tells the members: see {@code room-members.lua}. */
  public static final LuaScript ROOM_MEMBERS = withLogAppend("room-members.lua");
  /** Stores a channel message in the channel's bounded history and publishes it: see {@code store-channel-message.lua}. */
  public static final LuaScript STORE_CHANNEL_MESSAGE = withLogAppend("store-channel-message.lua");
  /** Deletes a room with its membership and history: see {@code room-delete.lua}. */
  public static final LuaScript ROOM_DELETE = withLogAppend("room-delete.lua");
  /** Reads a page of room history for a member: see {@code room-history.lua}. */
  public static final LuaScript ROOM_HISTORY = load("room-history.lua");
  /** Publishes a transient frame and counts the connections online: see {@code publish-transient.lua}. */
  public static final LuaScript PUBLISH_TRANSIENT = load("publish-transient.lua");
  /** Moves a device's acked cursor forward only: see {@code ack-cursor.lua}. */
  public static final LuaScript ACK_CURSOR = load("ack-cursor.lua");
  /** Binds a connection within its user's connection limit: see {@code bind-connection.lua}. */
  public static final LuaScript BIND_CONNECTION = load("bind-connection.lua");
  /** On a cluster, checks a typing member and lists the room's other members: see {@code typing-room-members.lua}. */
  public static final LuaScript TYPING_ROOM_MEMBERS = load("typing-room-members.lua");
  /** On a cluster, the push nodes holding one user's connections: see {@code member-nodes.lua}. */
  public static final LuaScript MEMBER_NODES = load("member-nodes.lua");

  /** Moves a read marker forward and tells the user's devices: see {@code conversation-read.lua}. */
  public static final LuaScript CONVERSATION_READ = withLogAppend("conversation-read.lua");
  /** Reads a page of a user's conversations: see {@code conversations-page.lua}. */
  public static final LuaScript CONVERSATIONS_PAGE = load("conversations-page.lua");
  /** Reads a page of a stream with its messages' edit states: see {@code log-page.lua}. */
  public static final LuaScript LOG_PAGE = load("log-page.lua");
  /** Edits or recalls a message in every log holding it: see {@code message-change.lua}. */
  public static final LuaScript MESSAGE_CHANGE = withLogAppend("message-change.lua");
  /** Pushes a typing frame to a room's members online: see {@code typing-room.lua}. */
  public static final LuaScript TYPING_ROOM = withLogAppend("typing-room.lua");

  // Redis Cluster: single-slot steps of a store done shard by shard (docs/architecture.md#redis-cluster).
  /** Reserves a sender's idempotency key and takes its budget: see {@code cluster-reserve.lua}. */
  public static final LuaScript CLUSTER_RESERVE = withLogAppend("cluster-reserve.lua");
  /** Appends to one user's log at most once per message id: see {@code cluster-log-append.lua}. */
  public static final LuaScript CLUSTER_LOG_APPEND = withLogAppend("cluster-log-append.lua");
  /** Sets one key as a step of a store: see {@code cluster-set.lua}. */
  public static final LuaScript CLUSTER_SET = load("cluster-set.lua");
  /** Gives back a reservation of a refused send: see {@code cluster-release.lua}. */
  public static final LuaScript CLUSTER_RELEASE = load("cluster-release.lua");
  /** Takes one token from a send budget: see {@code cluster-take-token.lua}. */
  public static final LuaScript CLUSTER_TAKE_TOKEN = withLogAppend("cluster-take-token.lua");
  /** The room's part of a room message: see {@code cluster-room-store.lua}. */
  public static final LuaScript CLUSTER_ROOM_STORE = withLogAppend("cluster-room-store.lua");
  /** The room's part of creating a room: see {@code cluster-room-create.lua}. */
  public static final LuaScript CLUSTER_ROOM_CREATE = withLogAppend("cluster-room-create.lua");
  /** The room's part of a member change: see {@code cluster-room-members.lua}. */
  public static final LuaScript CLUSTER_ROOM_MEMBERS = withLogAppend("cluster-room-members.lua");
  /** The checks of an edit or recall, in the locator's slot: see {@code cluster-change-locate.lua}. */
  public static final LuaScript CLUSTER_CHANGE_LOCATE = withLogAppend("cluster-change-locate.lua");
  /** An edit or recall in one user's log: see {@code cluster-change-log.lua}. */
  public static final LuaScript CLUSTER_CHANGE_LOG = withLogAppend("cluster-change-log.lua");
  /** The room's part of an edit or recall: see {@code cluster-change-room.lua}. */
  public static final LuaScript CLUSTER_CHANGE_ROOM = withLogAppend("cluster-change-room.lua");

  /**
   * The line of {@code log-append.lua} (and of the few scripts that publish without it) that names
   * the publish command; {@link #in} rewrites it for sharded pub/sub.
   */
  static final String PUBLISH_LINE = "local PUBLISH = 'PUBLISH'";

  /**
   * This script for a pub/sub mode: itself for {@link PubSubMode#PLAIN}; for
   * {@link PubSubMode#SHARDED} the same source publishing with {@code SPUBLISH} (a Redis Cluster:
   * the channel a script publishes on must then be in the slot of its keys).
   */
  public LuaScript in(PubSubMode mode) {
    if (mode == PubSubMode.PLAIN || !source.contains(PUBLISH_LINE)) {
      return this;
    }
    return SHARDED.computeIfAbsent(sha1,
        plain -> of(name, source.replace(PUBLISH_LINE, "local PUBLISH = '" + mode.publishCommand() + "'")));
  }

  /** The sharded variants made so far, by the SHA-1 of the plain script (a few dozen at most). */
  private static final Map<String, LuaScript> SHARDED = new ConcurrentHashMap<>();

  /** A script that appends to logs: {@code log-append.lua} (the shared functions), then its own body. */
  static LuaScript withLogAppend(String name) {
    return of(name, read("log-append.lua") + read(name));
  }

  static LuaScript load(String name) {
    return of(name, read(name));
  }

  private static String read(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LuaScript of(String name, String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
