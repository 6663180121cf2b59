package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.Seq;
import org.junit.jupiter.api.Test;

/**
 * {@code TrimmedStream.recovers(cursor, oldest, trimmedUpTo)}: whether replaying after a cursor gives
 * a client everything it has not seen (the {@code recovered} flag of docs/protocol.md#websocket). User logs
 * ({@link LogReader}) and channel histories ({@link ChannelHistory}, a {@code since}) share it.
 */
class TrimmedStreamTest {

  private static final Seq S10 = Seq.parse("10-0");
  private static final Seq S20 = Seq.parse("20-0");
  private static final Seq S30 = Seq.parse("30-0");

  @Test
  void cursorZeroRecoversWhenNothingWasEverTrimmed() {
    assertThat(TrimmedStream.recovers(Seq.ZERO, S10, null)).isTrue();
    assertThat(TrimmedStream.recovers(Seq.ZERO, null, null)).isTrue();
  }

  @Test
  void cursorZeroDoesNotRecoverOnceRetentionTrimmed() {
    assertThat(TrimmedStream.recovers(Seq.ZERO, S20, S10)).isFalse();
  }

  @Test
  void cursorInsideTheRetainedRangeRecovers() {
    assertThat(TrimmedStream.recovers(S20, S10, null)).isTrue();
    assertThat(TrimmedStream.recovers(S20, S10, Seq.parse("5-0"))).isTrue();
    assertThat(TrimmedStream.recovers(S30, S10, null)).as("cursor after the newest entry").isTrue();
  }

  @Test
  void cursorAtTheOldestEntryRecovers() {
    assertThat(TrimmedStream.recovers(S10, S10, Seq.parse("9-0"))).isTrue();
  }

  @Test
  void cursorAtOrAfterTheTrimMarkerRecovers() {
    assertThat(TrimmedStream.recovers(S20, S30, S20)).as("cursor on the last trimmed entry").isTrue();
    assertThat(TrimmedStream.recovers(Seq.parse("25-0"), S30, S20)).isTrue();
  }

  @Test
  void cursorBeforeTrimmedEntriesDoesNotRecover() {
    assertThat(TrimmedStream.recovers(S10, S30, S20)).isFalse();
    assertThat(TrimmedStream.recovers(Seq.parse("20-0"), S30, Seq.parse("20-1"))).as("same millisecond").isFalse();
  }

  @Test
  void cursorIntoALogThatIsGoneDoesNotRecover() {
    assertThat(TrimmedStream.recovers(S10, null, null)).as("log empty or lost").isFalse();
    assertThat(TrimmedStream.recovers(S10, null, Seq.parse("5-0"))).isFalse();
    assertThat(TrimmedStream.recovers(S10, S20, null)).as("log lost and started again").isFalse();
  }
}
