package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relay.service.ApiError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConversationListTest {

  @Test
  void theCursorIsTheScoreAsDigits() {
    assertThat(ConversationList.cursor("1732300000000005")).isEqualTo("1732300000000005");
    assertThat(ConversationList.cursor("1.732300000000005e+15")).isEqualTo("1732300000000005");
  }

  @Test
  void beforeMustBeACursor() {
    assertThat(ConversationList.before(null)).isNull();
    assertThat(ConversationList.before("")).isNull();
    assertThat(ConversationList.before("1732300000000005")).isEqualTo("1732300000000005");
    for (String bad : new String[] {"abc", "-1", "1.5", "(17", "1".repeat(21)}) {
      assertThatThrownBy(() -> ConversationList.before(bad)).as(bad).isInstanceOf(ApiError.class);
    }
  }

  @Test
  void aConversationShowsItsLastMessageAsItIsNow() {
    String last = new JsonObject().put("type", "message").put("id", "M1").put("from", "bob").put("body", "hi").encode();
    JsonObject conversation = ConversationList.conversation("u:bob", last, "r", "", 0);
    assertThat(conversation.getString("peer")).isEqualTo("bob");
    assertThat(conversation.getValue("room")).isNull();
    assertThat(conversation.getValue("readUpTo")).isNull();
    assertThat(conversation.getJsonObject("last").getBoolean("recalled")).isTrue();
    assertThat(conversation.getJsonObject("last").containsKey("body")).isFalse();

    JsonObject inRoom = ConversationList.conversation("r:r1", last, "", "M0", 2);
    assertThat(inRoom.getString("room")).isEqualTo("r1");
    assertThat(inRoom.getValue("peer")).isNull();
    assertThat(inRoom.getString("readUpTo")).isEqualTo("M0");
    assertThat(inRoom.getLong("unread")).isEqualTo(2);
    assertThat(inRoom.getJsonObject("last").getString("body")).isEqualTo("hi");
  }
}
