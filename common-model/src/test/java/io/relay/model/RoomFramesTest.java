package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The wire shapes of member events, receipts and transient messages, and the scripts that write them. */
class RoomFramesTest {

  @Test
  void aMemberEventHasTheDocumentedFieldsInOrder() {
    String json = new MemberEvent("ID1", "r1", "carol", MemberEvent.Action.REMOVED, null, 7).toJson();
    assertEquals(
        "{\"type\":\"member\",\"id\":\"ID1\",\"room\":\"r1\",\"uid\":\"carol\",\"action\":\"removed\",\"by\":null,\"ts\":7}",
        json);
  }

  @Test
  void aReceiptIsTheFrameOfSection4WithoutSeq() {
    String json = new Receipt("M1", "bob", 9).toJson();
    assertEquals("{\"type\":\"receipt\",\"id\":\"M1\",\"status\":\"read\",\"by\":\"bob\",\"ts\":9}", json);
    assertTrue(new LogEntry(Seq.parse("5-1"), json).frame().startsWith("{\"seq\":\"5-1\",\"type\":\"receipt\""));
  }

  @Test
  void aTransientFrameHasNoSeqAndSaysSo() {
    String frame = new StoredMessage("M2", "shop", "bob", null, new JsonObject().put("event", "refresh"), 3)
        .toTransientFrame();
    assertFalse(frame.startsWith(LogEntry.FRAME_HEAD));
    JsonObject parsed = new JsonObject(frame);
    assertTrue(parsed.getBoolean("transient"));
    assertFalse(parsed.containsKey("seq"));
    assertEquals("bob", parsed.getString("to"));
  }

  @Test
  void everyLogWritingScriptCarriesTheSharedAppendFunctions() {
    for (LuaScript script : new LuaScript[] {LuaScript.STORE_MESSAGE, LuaScript.STORE_ROOM_MESSAGE,
        LuaScript.ROOM_CREATE, LuaScript.ROOM_MEMBERS}) {
      assertTrue(script.source().contains("local function append_log("), script.name());
      assertEquals(40, script.sha1().length());
    }
    assertFalse(LuaScript.ROOM_HISTORY.source().contains("append_log"));
  }
}
