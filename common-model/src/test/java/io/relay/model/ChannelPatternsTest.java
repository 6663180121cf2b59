package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelPatternsTest {

  @Test
  void anExactNameGrantsOnlyThatChannel() {
    ChannelPatterns rights = new ChannelPatterns(List.of("merchant:42"));
    assertTrue(rights.allows("merchant:42"));
    assertFalse(rights.allows("merchant:420"));
    assertFalse(rights.allows("merchant:4"));
  }

  @Test
  void aStarGrantsEveryChannelWithItsPrefix() {
    ChannelPatterns rights = new ChannelPatterns(List.of("show:*"));
    assertTrue(rights.allows("show:42"));
    assertTrue(rights.allows("show:"));
    assertFalse(rights.allows("shows:42"));
    assertFalse(rights.allows("chat:1"));
  }

  @Test
  void aLoneStarGrantsEverything() {
    assertTrue(new ChannelPatterns(List.of("*")).allows("anything"));
  }

  @Test
  void noPatternsGrantNothing() {
    assertFalse(ChannelPatterns.NONE.allows("show:42"));
  }

  @Test
  void refusesWhatIsNeitherANameNorAPrefixPattern() {
    assertThrows(IllegalArgumentException.class, () -> new ChannelPatterns(List.of("show *")));
    assertThrows(IllegalArgumentException.class, () -> new ChannelPatterns(List.of("sh*w")));
    assertThrows(IllegalArgumentException.class, () -> new ChannelPatterns(List.of("")));
    assertThrows(IllegalArgumentException.class,
        () -> new ChannelPatterns(Collections.nCopies(ChannelPatterns.MAX_PATTERNS + 1, "a")));
  }

  @Test
  void readsAJsonListOfPatternsAndNothingElse() {
    assertEquals(List.of("show:*", "chat:1"),
        ChannelPatterns.fromJson(new JsonArray().add("show:*").add("chat:1"), "channels").patterns());
    assertSame(ChannelPatterns.NONE, ChannelPatterns.fromJson(null, "channels"));
    assertThrows(IllegalArgumentException.class, () -> ChannelPatterns.fromJson("show:*", "channels"));
    assertThrows(IllegalArgumentException.class, () -> ChannelPatterns.fromJson(new JsonArray().add(42), "channels"));
    assertThrows(IllegalArgumentException.class, () -> ChannelPatterns.fromJson(new JsonArray().add("a b"), "publish"));
  }
}
