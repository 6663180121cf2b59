package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.push.channel.ChannelParams;
import io.relay.service.ApiError;
import io.relay.service.Identity;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests (fuzzing) of the push side's query parameters: {@code since},
 * {@code Last-Event-ID}, {@code device}, {@code wait} and {@code channels}. Random and broken
 * values give the parsed value, whose invariants hold, or the documented {@code 400}/{@code 403}
 * {@link ApiError}: never any other exception.
 */
class QueryParamsPropertyTest {

  static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.INVALID_FIELD, ErrorCode.FORBIDDEN);
  static final Identity MAY_ALL = new Identity("amy", Long.MAX_VALUE);

  /** The value, or null when refused with one of {@link #REFUSALS}; anything else fails the property. */
  private static <T> T refusedOr(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (ApiError e) {
      assertThat(REFUSALS).contains(e.code());
      return null;
    }
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> seqLike = Arbitraries.strings().withChars("0123456789-:, ").ofMaxLength(45);
    Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ09_.:@-,").ofMinLength(0).ofMaxLength(80);
    Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(200);
    Arbitrary<String> edges = Arbitraries.of("", " ", "0", "0-0", "-1", "18446744073709551616-0",
        "9999999999999999999-9999999999999999999", "1732300000000-0", "60", "61", "99", "007", "\u0000", "é",
        "a".repeat(64), "a".repeat(65), ",", "a,", ":1-0", "a:1-0,b", "a:1-0:2-0");
    return Arbitraries.oneOf(seqLike, names, anything, edges);
  }

  @Property(tries = 1000)
  void sinceAndLastEventIdAreASeqOrA400(@ForAll("values") String value) {
    Seq since = refusedOr(() -> ResumeParams.since(value));
    if (since != null) {
      assertThat(Seq.parse(since.toString())).isEqualTo(since);
    }
    Seq lastEventId = refusedOr(() -> ResumeParams.lastEventId(value));
    if (lastEventId != null) {
      assertThat(Seq.isValid(lastEventId.toString())).isTrue();
    }
  }

  @Property(tries = 1000)
  void deviceIsAValidNameOrA400(@ForAll("values") String value) {
    String device = refusedOr(() -> ResumeParams.device(value));
    if (device != null) {
      assertThat(Ids.isValidName(device)).isTrue();
    }
  }

  @Property(tries = 1000)
  void waitIsZeroToSixtySecondsOrA400(@ForAll("values") String value) {
    Integer wait = refusedOr(() -> PollEndpoint.waitSeconds(value));
    if (wait != null) {
      assertThat(wait).isBetween(0, PollEndpoint.MAX_WAIT_SEC);
    }
  }

  @Property(tries = 1000)
  void channelsAreValidNamesWithinTheLimitOrARefusal(@ForAll("values") String value) {
    Map<String, Seq> channels = refusedOr(() -> ChannelParams.parse(value, MAY_ALL, 3));
    if (channels != null) {
      assertThat(channels.size()).isLessThanOrEqualTo(3);
      assertThat(channels.keySet()).allMatch(Ids::isValidName);
    }
  }

  @Property(tries = 300)
  void aChannelTheTokenDoesNotGrantIsA403NeverAValue(@ForAll("values") String value) {
    Identity mayNone = new Identity("bo", Long.MAX_VALUE, io.relay.model.ChannelPatterns.NONE,
        io.relay.model.ChannelPatterns.NONE);
    Throwable refused = catchThrowable(() -> {
      Map<String, Seq> channels = ChannelParams.parse(value, mayNone, 100);
      assertThat(channels).as("granted nothing, so only an empty parameter passes").isEmpty();
    });
    if (refused != null) {
      assertThat(refused).isInstanceOf(ApiError.class);
      assertThat(REFUSALS).contains(((ApiError) refused).code());
    }
  }
}
