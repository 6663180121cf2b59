package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageChangeTest {

  private static JsonObject message() {
    return new JsonObject().put("type", "message").put("id", "M1").put("body", new JsonObject().put("text", "old"));
  }

  @Test
  void anEditEntryCarriesTheNewBodyAndWhoChangedIt() {
    MessageChange edit = MessageChange.edit("M1", new JsonObject().put("text", "new"), "alice", 5);
    assertEquals(new JsonObject().put("type", "edit").put("id", "M1")
        .put("body", new JsonObject().put("text", "new")).put("by", "alice").put("ts", 5), new JsonObject(edit.toJson()));
  }

  @Test
  void aRecallEntryHasNoBodyAndANullByForABackend() {
    JsonObject recall = new JsonObject(MessageChange.recallOf("M1", null, 7).toJson());
    assertEquals(List.of("type", "id", "by", "ts"), List.copyOf(recall.fieldNames()));
    assertNull(recall.getValue("by"));
  }

  @Test
  void historyShowsTheKeptState() {
    String edited = MessageChange.edit("M1", "plain text", "alice", 5).state();
    assertEquals(message().put("body", "plain text").put("edited", true), MessageChange.apply(message(), edited));

    JsonObject recalled = MessageChange.apply(message(), MessageChange.recallOf("M1", "alice", 6).state());
    assertFalse(recalled.containsKey("body"));
    assertTrue(recalled.getBoolean("recalled"));

    assertEquals(message(), MessageChange.apply(message(), ""));
    assertEquals(message(), MessageChange.apply(message(), null));
  }

  @Test
  void anEditedBodyMayBeAnyJsonValue() {
    for (Object body : new Object[] {42, "x", new JsonObject().put("a", 1), null}) {
      String state = MessageChange.edit("M1", body, "alice", 1).state();
      assertEquals(body, MessageChange.apply(message(), state).getValue("body"), String.valueOf(body));
    }
  }
}
