package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written JSON must be the very text {@code JsonObject.encode} gave before. */
class JsonTextTest {

  private static final List<Object> BODIES = bodies();

  private static List<Object> bodies() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("text", "hi \"there\"\n");
    map.put("n", new BigDecimal("1e400"));
    map.put("list", new ArrayList<>(Arrays.asList(1, "two", null, true)));
    return new ArrayList<>(Arrays.asList("plain", "", "quote \" backslash \\ slash / tab \t nul \u0000 del \u007f",
        "unicode \u4e2d\u6587 \uD83D\uDE00 lone \uD800", 42, -7L, new BigDecimal("3.14159265358979323846264338327950288"),
        true, false, null, map, new ArrayList<>(List.of("a", 1)), new JsonObject().put("k", "v"), new JsonArray().add(2)));
  }

  @Test
  void storedMessageJsonIsWhatJsonObjectEncodes() {
    for (Object body : BODIES) {
      StoredMessage direct = new StoredMessage("01HZY", "alice", "bob", null, body, 1_732_300_000_000L);
      StoredMessage room = new StoredMessage("01HZZ", null, null, "r:1", body, 5L);
      assertEquals(viaJsonObject(direct), direct.toJson(), "body " + body);
      assertEquals(viaJsonObject(room), room.toJson(), "body " + body);
    }
  }

  @Test
  void aValueIsEncodedAsJsonEncodesIt() {
    for (Object body : BODIES) {
      assertEquals(io.vertx.core.json.Json.encode(body), JsonText.encode(body), "body " + body);
    }
  }

  @Test
  void namesAreCheckedWithoutARegexAsBefore() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:@-";
    assertTrue(Ids.isValidName(alphabet.substring(0, 64)));
    for (char c = 0; c < 0x300; c++) {
      assertEquals(alphabet.indexOf(c) >= 0, Ids.isValidName("a" + c), "char " + (int) c);
    }
    assertFalse(Ids.isValidName("\u0661")); // a non-ASCII digit
  }

  private static String viaJsonObject(StoredMessage m) {
    return new JsonObject().put("type", "message").put("id", m.id()).put("from", m.from()).put("to", m.to())
        .put("room", m.room()).put("body", m.body()).put("ts", m.ts()).encode();
  }
}
