package io.relay.model;

/**
 * A user's conversation: {@code u:<peer>} for direct messages with a peer, {@code r:<room>} for a
 * room (see docs/conversations.md). Exactly one of {@code peer} and {@code room} is set.
 */
public record ConversationId(String peer, String room) {

  public ConversationId {
    if ((peer == null) == (room == null)) {
      throw new IllegalArgumentException("exactly one of peer and room");
    }
  }

  public static ConversationId withPeer(String peer) {
    return new ConversationId(peer, null);
  }

  public static ConversationId ofRoom(String room) {
    return new ConversationId(null, room);
  }

  /** Parses {@code u:<name>} or {@code r:<name>}; null for anything else. */
  public static ConversationId parse(String text) {
    if (text == null || text.length() < 3 || text.charAt(1) != ':') {
      return null;
    }
    String name = text.substring(2);
    if (!Ids.isValidName(name)) {
      return null;
    }
    return switch (text.charAt(0)) {
      case 'u' -> withPeer(name);
      case 'r' -> ofRoom(name);
      default -> null;
    };
  }

  /** The conversation of a direct message between {@code from} and {@code to} in {@code owner}'s log. */
  public static ConversationId direct(String owner, String from, String to) {
    return withPeer(owner.equals(to) ? from : to);
  }

  @Override
  public String toString() {
    return peer != null ? "u:" + peer : "r:" + room;
  }
}
