package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChannelEntryTest {

  @Test
  void theFramePutsTheOffsetFirstAndKeepsTheRest() {
    ChannelEntry entry = new ChannelEntry(Seq.parse("17-3"), "{\"type\":\"message\",\"channel\":\"show:42\"}");
    assertEquals("{\"offset\":\"17-3\",\"type\":\"message\",\"channel\":\"show:42\"}", entry.frame());
  }

  @Test
  void theOffsetIsReadBackFromAPublishedFrame() {
    String frame = new ChannelEntry(Seq.parse("1732300000000-12"), "{\"type\":\"message\"}").frame();
    assertTrue(ChannelEntry.isStored(frame));
    assertEquals(Seq.parse("1732300000000-12"), ChannelEntry.offsetOf(frame));
  }

  @Test
  void aTransientFrameHasNoOffset() {
    assertFalse(ChannelEntry.isStored("{\"type\":\"message\",\"channel\":\"show:42\"}"));
  }
}
