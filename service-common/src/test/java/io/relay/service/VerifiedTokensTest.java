package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

  private final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void remembersATokenForItsShortLifeOnly() {
    VerifiedTokens tokens = new VerifiedTokens(10, now::get);
    Identity bob = new Identity("bob", now.get() + 3_600_000);
    tokens.put("t1", bob);

    assertThat(tokens.get("t1")).isEqualTo(bob);
    assertThat(tokens.get("t2")).isNull();
    now.addAndGet(VerifiedTokens.LIFETIME_MS);
    assertThat(tokens.get("t1")).isNull();
  }

  @Test
  void neverAnswersForATokenPastItsExpiry() {
    VerifiedTokens tokens = new VerifiedTokens(10, now::get);
    tokens.put("t1", new Identity("bob", now.get() + 1_000));

    now.addAndGet(999);
    assertThat(tokens.get("t1")).isNotNull();
    now.addAndGet(1);
    assertThat(tokens.get("t1")).isNull();
  }

  @Test
  void staysWithinItsCapacity() {
    VerifiedTokens tokens = new VerifiedTokens(3, now::get);
    for (int i = 0; i < 10; i++) {
      tokens.put("t" + i, new Identity("u" + i, now.get() + 3_600_000));
      assertThat(tokens.size()).isLessThanOrEqualTo(3);
    }
    assertThat(tokens.get("t9")).isNotNull();
  }

  @Test
  void dropsExpiredEntriesBeforeLiveOnesWhenFull() {
    VerifiedTokens tokens = new VerifiedTokens(2, now::get);
    tokens.put("old", new Identity("a", now.get() + 10));
    tokens.put("live", new Identity("b", now.get() + 3_600_000));
    now.addAndGet(10);

    tokens.put("new", new Identity("c", now.get() + 3_600_000));

    assertThat(tokens.get("live")).isNotNull();
    assertThat(tokens.get("new")).isNotNull();
  }
}
