package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LogEntryTest {

  @Test
  void frameIsTheStoredJsonWithSeqFirst() {
    String json = new StoredMessage("m1", "alice", "bob", null, new JsonObject().put("text", "hi"), 7).toJson();
    String frame = new LogEntry(Seq.parse("10-2"), json).frame();
    JsonObject parsed = new JsonObject(frame);
    assertEquals("10-2", parsed.getString("seq"));
    assertEquals("message", parsed.getString("type"));
    assertEquals("hi", parsed.getJsonObject("body").getString("text"));
    assertEquals(frame, "{\"seq\":\"10-2\"," + json.substring(1));
  }

  @Test
  void fromFrameUndoesFrame() {
    LogEntry entry = new LogEntry(Seq.parse("10-2"), "{\"type\":\"message\",\"id\":\"x\"}");
    assertEquals(entry, LogEntry.fromFrame(entry.frame()));
  }

  @Test
  void roomMessageKeepsToNull() {
    JsonObject parsed = new JsonObject(new StoredMessage("m", "a", null, "r1", "hello", 1).toJson());
    assertEquals("r1", parsed.getString("room"));
    assertEquals(true, parsed.containsKey("to"));
  }
}
