package io.relay.ingest;

import static io.relay.ingest.IngestHarness.assertError;
import static io.relay.ingest.IngestHarness.newUser;
import static io.relay.ingest.IngestHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/tokens} (docs/protocol.md#identity-and-auth): a backend mints user tokens, and only a backend. */
class TokensIT {

  static TestRedis server;
  static IngestHarness relay;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    relay = IngestHarness.start(server, Map.of());
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void mintedTokenIdentifiesItsUser() {
    String alice = newUser("alice");
    String bob = newUser("bob");

    String token = relay.token(alice, 600);
    HttpResponse<Buffer> sent = relay.sendAs(token, text(bob, "hi"));

    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    assertThat(relay.xlen(alice)).isEqualTo(1);
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    assertThat(claims.getString("sub")).isEqualTo(alice);
    long now = System.currentTimeMillis() / 1000;
    assertThat(claims.getLong("exp")).isBetween(now + 600 - 30, now + 600 + 30);
  }

  @Test
  void tokenWithoutTtlGetsTheDefaultHour() {
    HttpResponse<Buffer> response = relay.mint(new JsonObject().put("uid", newUser("alice")));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    String token = response.bodyAsJsonObject().getString("token");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    long now = System.currentTimeMillis() / 1000;
    assertThat(claims.getLong("exp")).isBetween(now + 3600 - 30, now + 3600 + 30);
  }

  @Test
  void mintedTokenStopsWorkingWhenItExpires() {
    String alice = newUser("alice");
    String token = relay.token(alice, 2);
    HttpResponse<Buffer> whileValid = relay.sendAs(token, text(alice, "valid"));
    assertThat(whileValid.statusCode()).as(whileValid.bodyAsString()).isEqualTo(201);

    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
        .until(() -> relay.sendAs(token, text(alice, "still valid?")).statusCode() == 401);

    assertError(relay.sendAs(token, text(alice, "x")), 401, "unauthorized");
  }

  @Test
  void userTokenCannotMintTokens() {
    String alice = newUser("alice");
    HttpResponse<Buffer> response = IngestHarness.await(relay.request(HttpMethod.POST, "/v1/tokens")
        .putHeader("Authorization", "Bearer " + relay.token(alice))
        .sendJsonObject(new JsonObject().put("uid", newUser("bob")).put("ttlSec", 60)));

    assertError(response, 403, "forbidden");
  }

  @Test
  void mintingWithoutCredentialsIsUnauthorized() {
    HttpResponse<Buffer> response = IngestHarness.await(relay.request(HttpMethod.POST, "/v1/tokens")
        .sendJsonObject(new JsonObject().put("uid", "alice")));
    assertError(response, 401, "unauthorized");

    HttpResponse<Buffer> wrongKey = IngestHarness.await(relay.request(HttpMethod.POST, "/v1/tokens")
        .putHeader("X-Api-Key", "wrong").sendJsonObject(new JsonObject().put("uid", "alice")));
    assertError(wrongKey, 401, "unauthorized");
  }

  @Test
  void badUidIsInvalidField() {
    assertError(relay.mint(new JsonObject()), 400, "invalid_field");
    assertError(relay.mint(new JsonObject().put("uid", "")), 400, "invalid_field");
    assertError(relay.mint(new JsonObject().put("uid", "bad user")), 400, "invalid_field");
    assertError(relay.mint(new JsonObject().put("uid", "u".repeat(65))), 400, "invalid_field");
    assertError(relay.mint(new JsonObject().put("uid", 7)), 400, "invalid_field");
  }

  @Test
  void badTtlIsInvalidField() {
    String alice = newUser("alice");
    for (Object ttl : new Object[] {0, -5, 30 * 24 * 3600 + 1, Long.MAX_VALUE, 1.5, "60", true}) {
      assertError(relay.mint(new JsonObject().put("uid", alice).put("ttlSec", ttl)), 400, "invalid_field");
    }
    assertThat(relay.mint(new JsonObject().put("uid", alice).put("ttlSec", 30 * 24 * 3600)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void bodyThatIsNotAJsonObjectIsInvalidJson() {
    assertError(IngestHarness.await(relay.request(HttpMethod.POST, "/v1/tokens")
        .putHeader("X-Api-Key", IngestHarness.API_KEY).sendBuffer(Buffer.buffer("{uid:"))), 400, "invalid_json");
    assertError(IngestHarness.await(relay.request(HttpMethod.POST, "/v1/tokens")
        .putHeader("X-Api-Key", IngestHarness.API_KEY).sendBuffer(Buffer.buffer("[]"))), 400, "invalid_json");
  }

  @Test
  void channelRightsTravelInTheTokenAsClaims() {
    HttpResponse<Buffer> response = relay.mint(new JsonObject().put("uid", newUser("alice"))
        .put("channels", new JsonArray().add("show:*").add("merchant:42")).put("publish", new JsonArray().add("chat:1")));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject claims = claimsOf(response.bodyAsJsonObject().getString("token"));
    assertThat(claims.getJsonArray("channels")).isEqualTo(new JsonArray().add("show:*").add("merchant:42"));
    assertThat(claims.getJsonArray("publish")).isEqualTo(new JsonArray().add("chat:1"));
  }

  @Test
  void tokenWithoutChannelRightsCarriesNoChannelClaims() {
    JsonObject claims = claimsOf(relay.token(newUser("alice")));
    assertThat(claims.containsKey("channels")).isFalse();
    assertThat(claims.containsKey("publish")).isFalse();
  }

  @Test
  void badChannelRightsAreInvalidField() {
    String alice = newUser("alice");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= 100; i++) {
      tooMany.add("c" + i);
    }
    for (String claim : new String[] {"channels", "publish"}) {
      for (Object bad : new Object[] {"show:*", 42, new JsonObject(), new JsonArray().add(7),
          new JsonArray().add("show 42"), new JsonArray().add("sh*w"), new JsonArray().add(""),
          new JsonArray().add("c".repeat(65)), tooMany}) {
        assertError(relay.mint(new JsonObject().put("uid", alice).put(claim, bad)), 400, "invalid_field");
      }
    }
    assertThat(relay.mint(new JsonObject().put("uid", alice).put("channels", new JsonArray())).statusCode())
        .as("an empty list grants nothing and is fine").isEqualTo(200);
  }

  private static JsonObject claimsOf(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
  }
}
