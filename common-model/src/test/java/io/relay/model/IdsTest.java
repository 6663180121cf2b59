package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void acceptsTheNameAlphabetUpTo64Chars() {
    assertTrue(Ids.isValidName("alice.smith@example.com:1_-"));
    assertTrue(Ids.isValidName("a".repeat(64)));
    assertFalse(Ids.isValidName("a".repeat(65)));
    assertFalse(Ids.isValidName(""));
    assertFalse(Ids.isValidName("bob smith"));
    assertFalse(Ids.isValidName("bob}"));
    assertFalse(Ids.isValidName(null));
  }

  @Test
  void acceptsExactlyTheCharactersOfTheDocumentedClass() {
    java.util.regex.Pattern documented = java.util.regex.Pattern.compile("[A-Za-z0-9_.:@-]");
    for (char c = 0; c < 0x3000; c++) {
      String one = String.valueOf(c);
      assertEquals(documented.matcher(one).matches(), Ids.isValidName(one), "char " + (int) c);
    }
  }

  @Test
  void messageIdsAreUniqueAndSortByTime() {
    String earlier = Ids.timeOrdered(1_000);
    String later = Ids.timeOrdered(2_000);
    assertEquals(26, earlier.length());
    assertTrue(earlier.compareTo(later) < 0);
    assertNotEquals(Ids.newMessageId(), Ids.newMessageId());
  }

  @Test
  void liveChannelNamesRoundTrip() {
    assertEquals("bob", RedisKeys.uidOfLiveChannel(RedisKeys.liveChannel("bob")));
    assertEquals(null, RedisKeys.uidOfLiveChannel("other"));
  }
}
