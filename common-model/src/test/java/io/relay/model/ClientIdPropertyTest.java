package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Property-based tests of the parsers of ids and seqs that clients send (user and room ids, the
 * {@code since} / {@code seq} cursors): any string is either accepted exactly when it is valid,
 * or refused; nothing throws; what is accepted round-trips.
 */
class ClientIdPropertyTest {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");

  @Property(tries = 2000)
  void aNameIsValidExactlyWhenItIsOneTo64AllowedCharacters(@ForAll("nameLike") String candidate) {
    assertEquals(NAME.matcher(candidate).matches(), Ids.isValidName(candidate));
  }

  @Property(tries = 1000)
  void anyStringAtAllIsAcceptedOrRefusedWithoutThrowing(@ForAll String anything) {
    Ids.isValidName(anything);
    Seq.isValid(anything);
  }

  @Property(tries = 2000)
  void aSeqIsValidExactlyWhenItParsesAndThenRoundTrips(@ForAll("seqLike") String candidate) {
    if (Seq.isValid(candidate)) {
      Seq seq = Seq.parse(candidate);
      assertEquals(seq, Seq.parse(seq.toString()));
      assertTrue(seq.millis() >= 0 && seq.counter() >= 0);
    } else {
      assertFalse(candidate.matches("\\d{1,18}(-\\d{1,18})?"), "refused a plain stream id: " + candidate);
    }
  }

  @Property(tries = 1000)
  void everyStreamIdRoundTripsAndOrdersLikeItsParts(@ForAll @LongRange(min = 0) long millis,
      @ForAll @LongRange(min = 0) long counter, @ForAll @LongRange(min = 0) long otherCounter) {
    String text = millis + "-" + counter;
    assertTrue(Seq.isValid(text));
    assertEquals(text, Seq.parse(text).toString());
    assertEquals(Long.compare(counter, otherCounter),
        Integer.signum(Seq.parse(text).compareTo(new Seq(millis, otherCounter))));
  }

  @Provide
  Arbitrary<String> nameLike() {
    Arbitrary<String> allowed = Arbitraries.strings().withChars("AZaz09_.:@-").ofMinLength(0).ofMaxLength(70);
    Arbitrary<String> mixed = Arbitraries.strings().withChars("Aa0_.:@- /\\{}\u00e9\u4e2d\u0000\n%*\"")
        .ofMinLength(0).ofMaxLength(70);
    return Arbitraries.oneOf(allowed, mixed, Arbitraries.strings().ofMaxLength(80));
  }

  @Provide
  Arbitrary<String> seqLike() {
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(22);
    Arbitrary<String> pair = digits.flatMap(a -> digits.map(b -> a + "-" + b));
    Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789-+ e.x\u0663").ofMaxLength(30);
    return Arbitraries.oneOf(digits, pair, noise);
  }
}
