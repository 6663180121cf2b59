package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqTest {

  @Test
  void ordersByMillisThenCounter() {
    assertTrue(Seq.parse("1700000000000-1").isAfter(Seq.parse("1700000000000-0")));
    assertTrue(Seq.parse("1700000000001-0").isAfter(Seq.parse("1700000000000-9")));
    assertFalse(Seq.parse("5-5").isAfter(Seq.parse("5-5")));
  }

  @Test
  void bareMillisMeansCounterZero() {
    assertEquals(new Seq(42, 0), Seq.parse("42"));
    assertEquals("42-0", Seq.parse("42").toString());
  }

  @Test
  void rejectsWhatIsNotAStreamId() {
    assertFalse(Seq.isValid("abc"));
    assertFalse(Seq.isValid("-1"));
    assertFalse(Seq.isValid("1-2-3"));
    assertFalse(Seq.isValid("99999999999999999999"));
    assertFalse(Seq.isValid(null));
    assertTrue(Seq.isValid("0"));
    assertTrue(Seq.isValid("1700000000000-3"));
  }
}
