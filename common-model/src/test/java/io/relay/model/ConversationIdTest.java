package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ConversationIdTest {

  @Test
  void parsesPeersAndRooms() {
    assertEquals(ConversationId.withPeer("bob"), ConversationId.parse("u:bob"));
    assertEquals(ConversationId.ofRoom("room-1"), ConversationId.parse("r:room-1"));
    assertEquals(ConversationId.withPeer("a:b"), ConversationId.parse("u:a:b"));
  }

  @Test
  void refusesAnythingElse() {
    for (String bad : new String[] {null, "", "u:", "bob", "x:bob", "u-bob", "u:b o b", "u:" + "a".repeat(65)}) {
      assertNull(ConversationId.parse(bad), String.valueOf(bad));
    }
  }

  @Test
  void printsAsItParses() {
    assertEquals("u:bob", ConversationId.withPeer("bob").toString());
    assertEquals("r:r1", ConversationId.ofRoom("r1").toString());
  }

  @Test
  void aDirectMessageIsWithTheOtherPartyInEachLog() {
    assertEquals("u:alice", ConversationId.direct("bob", "alice", "bob").toString());
    assertEquals("u:bob", ConversationId.direct("alice", "alice", "bob").toString());
    assertEquals("u:alice", ConversationId.direct("alice", "alice", "alice").toString());
  }
}
