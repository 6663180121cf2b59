package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadMarkersTest {

  @Test
  void readsSenderAndConversationFromAnIndexValue() {
    assertThat(ReadMarkers.senderOf("alice 1732300000000-0 u:alice")).isEqualTo("alice");
    assertThat(ReadMarkers.conversationOf("alice 1732300000000-0 u:alice")).isEqualTo("u:alice");
    assertThat(ReadMarkers.conversationOf("alice 1732300000000-0 r:r1")).isEqualTo("r:r1");
  }

  @Test
  void aMessageWithoutSenderHasNoConversation() {
    assertThat(ReadMarkers.senderOf(" 1732300000000-0 ")).isEmpty();
    assertThat(ReadMarkers.conversationOf(" 1732300000000-0 ")).isNull();
  }

  @Test
  void aValueWrittenBeforeConversationsIsJustTheSender() {
    assertThat(ReadMarkers.senderOf("alice")).isEqualTo("alice");
    assertThat(ReadMarkers.senderOf("")).isEmpty();
    assertThat(ReadMarkers.conversationOf("alice")).isNull();
  }
}
