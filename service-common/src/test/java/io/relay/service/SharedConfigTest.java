package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code SharedConfig.fromEnv}: the docs/operations.md defaults, dev mode, and startup errors that name the variable. */
class SharedConfigTest {

  static final String SECRET = "a-secret-of-exactly-thirty-two-b";

  @Test
  void unsetVariablesGetTheDefaultsOfSection8() {
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET));

    assertThat(config.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(config.nodeId()).matches("node-[0-9a-f]{8}");
    assertThat(config.jwtSecret()).isEqualTo(SECRET);
    assertThat(config.apiKeys()).isEmpty();
    assertThat(config.dev()).isFalse();
    assertThat(config.corsOrigins()).isEmpty();
    assertThat(config.maxBodyBytes()).isEqualTo(64 * 1024);
    assertThat(config.retentionCount()).isEqualTo(10_000);
    assertThat(config.retentionDays()).isEqualTo(7);
    assertThat(config.retentionMillis()).isEqualTo(7L * 24 * 3600 * 1000);
    assertThat(config.redisTimeoutMs()).isEqualTo(2000);
  }

  @Test
  void everyNodeGetsItsOwnGeneratedId() {
    Map<String, String> env = Map.of("RELAY_JWT_SECRET", SECRET);
    assertThat(SharedConfig.fromEnv(env).nodeId()).isNotEqualTo(SharedConfig.fromEnv(env).nodeId());
  }

  @Test
  void setVariablesAreUsed() {
    SharedConfig config = SharedConfig.fromEnv(Map.of(
        "REDIS_URL", "redis://redis.internal:6380",
        "RELAY_NODE_ID", "ingest-a",
        "RELAY_JWT_SECRET", SECRET,
        "RELAY_MAX_BODY", "2048",
        "RELAY_RETENTION_COUNT", "5",
        "RELAY_RETENTION_DAYS", "0",
        "RELAY_REDIS_TIMEOUT_MS", "750"));

    assertThat(config.redisUrl()).isEqualTo("redis://redis.internal:6380");
    assertThat(config.nodeId()).isEqualTo("ingest-a");
    assertThat(config.maxBodyBytes()).isEqualTo(2048);
    assertThat(config.retentionCount()).isEqualTo(5);
    assertThat(config.retentionDays()).isZero();
    assertThat(config.retentionMillis()).isZero();
    assertThat(config.redisTimeoutMs()).isEqualTo(750);
  }

  @Test
  void missingSecretIsAStartupErrorNamingTheVariable() {
    assertThatThrownBy(() -> SharedConfig.fromEnv(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_JWT_SECRET");
    assertThatThrownBy(() -> SharedConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "   ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_JWT_SECRET");
    assertThatThrownBy(() -> SharedConfig.fromEnv(Map.of("RELAY_DEV", "false")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_JWT_SECRET");
  }

  @Test
  void secretShorterThan32BytesIsAStartupErrorOutsideDevMode() {
    assertThat(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(SharedConfig.MIN_SECRET_BYTES);
    String short31 = SECRET.substring(1);
    assertThatThrownBy(() -> SharedConfig.fromEnv(Map.of("RELAY_JWT_SECRET", short31)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_JWT_SECRET")
        .hasMessageContaining("32 bytes");
    // Counted in bytes: 16 two-byte characters are enough.
    assertThat(SharedConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "é".repeat(16))).jwtSecret()).hasSize(16);
    assertThat(SharedConfig.fromEnv(Map.of("RELAY_JWT_SECRET", "short", "RELAY_DEV", "true")).jwtSecret())
        .isEqualTo("short");
  }

  @Test
  void onlyTheWordTrueTurnsDevModeOn() {
    for (String notTrue : List.of("1", "yes", "on", "tru")) {
      assertThatThrownBy(() -> SharedConfig.fromEnv(Map.of("RELAY_DEV", notTrue)))
          .as("RELAY_DEV=%s", notTrue)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_JWT_SECRET");
    }
    assertThat(SharedConfig.fromEnv(Map.of("RELAY_DEV", "TRUE")).dev()).isTrue();
  }

  @Test
  void devModeUsesTheWellKnownSecretKeyAndAnyOrigin() {
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_DEV", "true"));

    assertThat(config.dev()).isTrue();
    assertThat(config.jwtSecret()).isEqualTo("dev-secret");
    assertThat(config.apiKeys()).contains("dev-key");
    assertThat(config.corsOrigins()).containsExactly("*");
  }

  @Test
  void devModeKeepsWhatIsConfigured() {
    SharedConfig config = SharedConfig.fromEnv(Map.of(
        "RELAY_DEV", "true",
        "RELAY_JWT_SECRET", "own-secret",
        "RELAY_API_KEYS", "k1",
        "RELAY_CORS_ORIGINS", "https://app.example"));

    assertThat(config.jwtSecret()).isEqualTo("own-secret");
    assertThat(config.apiKeys()).containsExactlyInAnyOrder("k1", "dev-key");
    assertThat(config.corsOrigins()).containsExactly("https://app.example");
  }

  @Test
  void commaListsAreTrimmedAndBlanksDropped() {
    SharedConfig config = SharedConfig.fromEnv(Map.of(
        "RELAY_JWT_SECRET", SECRET,
        "RELAY_API_KEYS", " key-a , key-b,, ,key-c ",
        "RELAY_CORS_ORIGINS", "https://a.example ,https://b.example"));

    assertThat(config.apiKeys()).containsExactly("key-a", "key-b", "key-c");
    assertThat(config.corsOrigins()).containsExactly("https://a.example", "https://b.example");
  }

  @Test
  void configuredListsCannotBeChangedAfterwards() {
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET, "RELAY_API_KEYS", "k"));

    assertThatThrownBy(() -> config.apiKeys().add("injected")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(config.apiKeys()).containsExactly("k");
  }

  @Test
  void numbersAreTrimmed() {
    SharedConfig config = SharedConfig.fromEnv(Map.of("RELAY_JWT_SECRET", SECRET, "RELAY_MAX_BODY", " 4096 "));
    assertThat(config.maxBodyBytes()).isEqualTo(4096);
  }

  @Test
  void nonIntegerMaxBodyIsAStartupErrorNamingTheVariable() {
    for (String bad : List.of("abc", "64k", "1.5", "99999999999")) {
      assertThatThrownBy(() -> withSecret("RELAY_MAX_BODY", bad))
          .as("RELAY_MAX_BODY=%s", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_MAX_BODY");
    }
  }

  @Test
  void outOfRangeNumbersAreStartupErrorsNamingTheVariable() {
    Map<String, String> bad = Map.of(
        "RELAY_MAX_BODY", "0",
        "RELAY_RETENTION_COUNT", "0",
        "RELAY_RETENTION_DAYS", "-1",
        "RELAY_REDIS_TIMEOUT_MS", "10");
    bad.forEach((name, value) -> assertThatThrownBy(() -> withSecret(name, value))
        .as("%s=%s", name, value)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name));
    assertThatThrownBy(() -> withSecret("RELAY_MAX_BODY", Integer.toString(16 * 1024 * 1024 + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_MAX_BODY");
    assertThat(withSecret("RELAY_MAX_BODY", Integer.toString(16 * 1024 * 1024)).maxBodyBytes())
        .isEqualTo(16 * 1024 * 1024);
  }

  private static SharedConfig withSecret(String name, String value) {
    Map<String, String> env = new HashMap<>();
    env.put("RELAY_JWT_SECRET", SECRET);
    env.put(name, value);
    return SharedConfig.fromEnv(env);
  }
}
