package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Env.namesReadBy}: the variable names a config reader looks up, found by running it. */
class EnvTest {

  @Test
  void namesEveryVariableTheReaderLooksUpInOrder() {
    assertThat(Env.namesReadBy(env -> {
      Env e = new Env(env);
      e.string("A_URL", "x");
      e.integer("A_PORT", 1, 0, 10);
      e.list("A_KEYS");
    })).containsExactly("A_URL", "A_PORT", "A_KEYS");
  }

  @Test
  void runsTheReaderInDevModeSoNoSecretIsNeeded() {
    assertThat(SharedConfig.variables()).contains("RELAY_DEV", "RELAY_JWT_SECRET", "REDIS_URL", "RELAY_MAX_ROOM");
  }

  @Test
  void readsNothingElseThanWhatTheReaderAsksFor() {
    assertThat(Env.namesReadBy(env -> new Env(env).bool("RELAY_DEV"))).containsExactly("RELAY_DEV");
    assertThat(Env.namesReadBy(env -> Map.copyOf(env))).isEmpty();
  }
}
