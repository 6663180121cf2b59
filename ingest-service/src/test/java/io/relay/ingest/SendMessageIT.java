package io.relay.ingest;

import static io.relay.ingest.IngestHarness.assertError;
import static io.relay.ingest.IngestHarness.newUser;
import static io.relay.ingest.IngestHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Base64;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/messages} (docs/protocol.md#sending-post-v1messages) over real HTTP against a real Redis: every answer it can give. */
class SendMessageIT {

  static final int MAX_BODY = 1024;

  static TestRedis server;
  static IngestHarness relay;
  /** A node with the default RELAY_MAX_BODY (64 KiB). */
  static IngestHarness defaultLimits;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    relay = IngestHarness.start(server, Map.of("RELAY_MAX_BODY", Integer.toString(MAX_BODY)));
    defaultLimits = IngestHarness.start(server, Map.of());
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
    if (defaultLimits != null) {
      defaultLimits.close();
    }
    if (server != null) {
      server.close();
    }
  }

  // --- stored -------------------------------------------------------------------------------

  @Test
  void userMessageIsStoredInRecipientAndSenderLogs() {
    String alice = newUser("alice");
    String bob = newUser("bob");

    HttpResponse<Buffer> response = relay.sendAs(relay.token(alice), text(bob, "hi"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("id")).isNotBlank();
    assertThat(answer.getLong("ts")).isPositive();
    assertThat(relay.xlen(bob)).isEqualTo(1);
    assertThat(relay.xlen(alice)).isEqualTo(1);
    JsonObject stored = onlyEntry(bob);
    assertThat(stored.getString("id")).isEqualTo(answer.getString("id"));
    assertThat(stored.getString("from")).isEqualTo(alice);
    assertThat(stored.getString("to")).isEqualTo(bob);
    assertThat(stored.getJsonObject("body")).isEqualTo(new JsonObject().put("text", "hi"));
    assertThat(stored.getLong("ts")).isEqualTo(answer.getLong("ts"));
    assertThat(onlyEntry(alice).getString("id")).isEqualTo(answer.getString("id"));
  }

  @Test
  void messageToOneselfIsStoredOnce() {
    String alice = newUser("alice");

    HttpResponse<Buffer> response = relay.sendAs(relay.token(alice), text(alice, "note to self"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(relay.xlen(alice)).isEqualTo(1);
  }

  @Test
  void userMayNameItselfAsSender() {
    String alice = newUser("alice");
    String bob = newUser("bob");

    HttpResponse<Buffer> response = relay.sendAs(relay.token(alice), text(bob, "hi").put("from", alice));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(onlyEntry(bob).getString("from")).isEqualTo(alice);
  }

  @Test
  void bodyMayBeAnyJsonValue() {
    String alice = newUser("alice");
    String token = relay.token(alice);
    for (Object body : new Object[] {"plain text", 42, true, new JsonArray().add(1).add("two"), null}) {
      HttpResponse<Buffer> response = relay.sendAs(token, new JsonObject().put("to", alice).put("body", body));
      assertThat(response.statusCode()).as("body %s: %s", body, response.bodyAsString()).isEqualTo(201);
    }
    assertThat(relay.xlen(alice)).isEqualTo(5);
  }

  @Test
  void backendMessageWithFromGoesOnlyToRecipientLog() {
    String shop = newUser("shop");
    String bob = newUser("bob");

    HttpResponse<Buffer> response = relay.sendAsBackend(text(bob, "order shipped").put("from", shop));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(relay.xlen(bob)).isEqualTo(1);
    assertThat(relay.xlen(shop)).isZero();
    assertThat(onlyEntry(bob).getString("from")).isEqualTo(shop);
  }

  @Test
  void backendMessageWithEchoAlsoGoesToSenderLog() {
    String shop = newUser("shop");
    String bob = newUser("bob");

    HttpResponse<Buffer> response = relay.sendAsBackend(text(bob, "order shipped").put("from", shop).put("echo", true));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(relay.xlen(bob)).isEqualTo(1);
    assertThat(relay.xlen(shop)).isEqualTo(1);
    assertThat(onlyEntry(shop).getString("id")).isEqualTo(response.bodyAsJsonObject().getString("id"));
  }

  @Test
  void backendMessageWithoutFromHasNoSender() {
    String bob = newUser("bob");

    HttpResponse<Buffer> response = relay.sendAsBackend(text(bob, "system notice"));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    JsonObject stored = onlyEntry(bob);
    assertThat(stored.containsKey("from")).isTrue();
    assertThat(stored.getValue("from")).isNull();
  }

  @Test
  void jsonSentWithFormContentTypeUpToMaxBodyIsStored() {
    String bob = newUser("bob");
    String body = "x".repeat(MAX_BODY - 2);  // what `curl -d '{...}'` sends: the JSON, typed as a form

    HttpResponse<Buffer> response = IngestHarness.await(relay.request(HttpMethod.POST, "/v1/messages")
        .putHeader("X-Api-Key", IngestHarness.API_KEY)
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(new JsonObject().put("to", bob).put("body", body).toBuffer()));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(relay.xlen(bob)).isEqualTo(1);
  }

  @Test
  void numberInBodyIsNeverStoredAsAString() {
    String bob = newUser("bob");

    HttpResponse<Buffer> response = relay.sendRaw(relay.token(newUser("alice")),
        Buffer.buffer("{\"to\":\"" + bob + "\",\"body\":{\"n\":1e400}}"));

    if (response.statusCode() == 201) {
      assertThat(onlyEntry(bob).getJsonObject("body").getValue("n")).isInstanceOf(Number.class);
    } else {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
          .isIn("invalid_json", "invalid_field");
      assertThat(relay.xlen(bob)).isZero();
    }
  }

  // --- idempotency --------------------------------------------------------------------------

  @Test
  void repeatedClientMsgIdFromSameSenderAnswersDuplicateAndStoresNothingNew() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String token = relay.token(alice);
    JsonObject message = text(bob, "once").put("clientMsgId", "c-1");

    HttpResponse<Buffer> first = relay.sendAs(token, message);
    HttpResponse<Buffer> second = relay.sendAs(token, message);

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(second.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
    assertThat(relay.xlen(bob)).isEqualTo(1);
    assertThat(relay.xlen(alice)).isEqualTo(1);
    assertThat(relay.exists(RedisKeys.idempotency(alice, "c-1"))).isTrue();
    long ttl = relay.redis(Request.cmd(Command.TTL).arg(RedisKeys.idempotency(alice, "c-1"))).toLong();
    assertThat(ttl).isBetween(24 * 3600L - 60, 24 * 3600L);
  }

  @Test
  void sameClientMsgIdFromTwoSendersStoresBoth() {
    String alice = newUser("alice");
    String carol = newUser("carol");
    String bob = newUser("bob");

    HttpResponse<Buffer> fromAlice = relay.sendAs(relay.token(alice), text(bob, "a").put("clientMsgId", "same"));
    HttpResponse<Buffer> fromCarol = relay.sendAs(relay.token(carol), text(bob, "c").put("clientMsgId", "same"));

    assertThat(fromAlice.statusCode()).as(fromAlice.bodyAsString()).isEqualTo(201);
    assertThat(fromCarol.statusCode()).as(fromCarol.bodyAsString()).isEqualTo(201);
    assertThat(fromCarol.bodyAsJsonObject().getString("id")).isNotEqualTo(fromAlice.bodyAsJsonObject().getString("id"));
    assertThat(relay.xlen(bob)).isEqualTo(2);
  }

  @Test
  void repeatedClientMsgIdFromBackendAnswersDuplicate() {
    String bob = newUser("bob");
    String clientMsgId = "b-" + newUser("x");
    JsonObject message = text(bob, "once").put("clientMsgId", clientMsgId);

    HttpResponse<Buffer> first = relay.sendAsBackend(message);
    HttpResponse<Buffer> second = relay.sendAsBackend(message);

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(relay.xlen(bob)).isEqualTo(1);
  }

  // --- invalid_json -------------------------------------------------------------------------

  @Test
  void malformedJsonIsInvalidJson() {
    String alice = newUser("alice");
    assertError(relay.sendRaw(relay.token(alice), Buffer.buffer("{\"to\": \"bob\", ")), 400, "invalid_json");
    assertThat(relay.xlen(alice)).isZero();
  }

  @Test
  void jsonThatIsNotAnObjectIsInvalidJson() {
    String token = relay.token(newUser("alice"));
    assertError(relay.sendRaw(token, Buffer.buffer("[{\"to\":\"bob\",\"body\":1}]")), 400, "invalid_json");
    assertError(relay.sendRaw(token, Buffer.buffer("\"hello\"")), 400, "invalid_json");
    assertError(relay.sendRaw(token, Buffer.buffer("")), 400, "invalid_json");
  }

  // --- invalid_field ------------------------------------------------------------------------

  @Test
  void neitherToNorRoomIsInvalidField() {
    String alice = newUser("alice");
    assertError(relay.sendAs(relay.token(alice), new JsonObject().put("body", "x")), 400, "invalid_field");
    assertThat(relay.xlen(alice)).isZero();
  }

  @Test
  void bothToAndRoomIsInvalidField() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    assertError(relay.sendAs(relay.token(alice), text(bob, "x").put("room", "r1")), 400, "invalid_field");
    assertThat(relay.xlen(bob)).isZero();
  }

  @Test
  void recipientWithForbiddenCharactersIsInvalidField() {
    String token = relay.token(newUser("alice"));
    for (String to : new String[] {"bob smith", "bob/1", "bob{x}", "böb", "", "bob\n"}) {
      assertError(relay.sendAs(token, text(to, "x")), 400, "invalid_field");
    }
    assertError(relay.sendAs(token, new JsonObject().put("to", 42).put("body", "x")), 400, "invalid_field");
  }

  @Test
  void backendSenderWithForbiddenCharactersIsInvalidField() {
    String bob = newUser("bob");
    assertError(relay.sendAsBackend(text(bob, "x").put("from", "shop 1")), 400, "invalid_field");
    assertError(relay.sendAsBackend(text(bob, "x").put("from", 7)), 400, "invalid_field");
    assertThat(relay.xlen(bob)).isZero();
  }

  @Test
  void recipientOf64CharactersIsAcceptedAnd65IsInvalidField() {
    String token = relay.token(newUser("alice"));
    String sixtyFour = newUser("b") + "_".repeat(64 - newUser("b").length());
    assertThat(sixtyFour).hasSize(64);

    assertThat(relay.sendAs(token, text(sixtyFour, "x")).statusCode()).isEqualTo(201);
    assertError(relay.sendAs(token, text(sixtyFour + "x", "x")), 400, "invalid_field");
  }

  @Test
  void missingBodyIsInvalidField() {
    String bob = newUser("bob");
    assertError(relay.sendAs(relay.token(newUser("alice")), new JsonObject().put("to", bob)), 400, "invalid_field");
    assertThat(relay.xlen(bob)).isZero();
  }

  @Test
  void badClientMsgIdIsInvalidField() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String token = relay.token(alice);

    assertError(relay.sendAs(token, text(bob, "x").put("clientMsgId", "")), 400, "invalid_field");
    assertError(relay.sendAs(token, text(bob, "x").put("clientMsgId", "c".repeat(65))), 400, "invalid_field");
    assertError(relay.sendAs(token, text(bob, "x").put("clientMsgId", 123)), 400, "invalid_field");
    assertThat(relay.xlen(bob)).isZero();
    assertThat(relay.sendAs(token, text(bob, "x").put("clientMsgId", "c".repeat(64))).statusCode()).isEqualTo(201);
  }

  @Test
  void nonBooleanTransientOrEchoIsInvalidField() {
    String bob = newUser("bob");
    assertError(relay.sendAsBackend(text(bob, "x").put("transient", "yes")), 400, "invalid_field");
    assertError(relay.sendAsBackend(text(bob, "x").put("echo", 1)), 400, "invalid_field");
    assertThat(relay.xlen(bob)).isZero();
  }

  // --- unauthorized -------------------------------------------------------------------------

  @Test
  void requestWithoutCredentialsIsUnauthorized() {
    String bob = newUser("bob");
    HttpResponse<Buffer> response = IngestHarness.await(relay.request(HttpMethod.POST, "/v1/messages")
        .sendJsonObject(text(bob, "x")));
    assertError(response, 401, "unauthorized");
    assertThat(relay.xlen(bob)).isZero();
  }

  @Test
  void garbageTokenIsUnauthorized() {
    assertError(relay.sendAs("not-a-jwt", text(newUser("bob"), "x")), 401, "unauthorized");
    assertError(relay.sendAs("a.b.c", text(newUser("bob"), "x")), 401, "unauthorized");
  }

  @Test
  void nonBearerAuthorizationIsUnauthorized() {
    HttpResponse<Buffer> response = IngestHarness.await(relay.request(HttpMethod.POST, "/v1/messages")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes(StandardCharsets.UTF_8)))
        .sendJsonObject(text(newUser("bob"), "x")));
    assertError(response, 401, "unauthorized");
  }

  @Test
  void expiredTokenIsUnauthorized() {
    String alice = newUser("alice");
    long past = System.currentTimeMillis() / 1000 - 60;
    String token = relay.forgeToken(relay.secret, new JsonObject().put("sub", alice).put("exp", past), new JWTOptions());
    assertError(relay.sendAs(token, text(alice, "x")), 401, "unauthorized");
    assertThat(relay.xlen(alice)).isZero();
  }

  @Test
  void tokenWithoutExpIsUnauthorized() {
    String alice = newUser("alice");
    String token = relay.forgeToken(relay.secret, new JsonObject(), new JWTOptions().setSubject(alice));
    assertError(relay.sendAs(token, text(alice, "x")), 401, "unauthorized");
    assertThat(relay.xlen(alice)).isZero();
  }

  @Test
  void tokenSignedWithAnotherSecretIsUnauthorized() {
    String alice = newUser("alice");
    String token = relay.forgeToken("another-secret", new JsonObject(),
        new JWTOptions().setSubject(alice).setExpiresInSeconds(3600));
    assertError(relay.sendAs(token, text(alice, "x")), 401, "unauthorized");
    assertThat(relay.xlen(alice)).isZero();
  }

  @Test
  void unsignedTokenIsUnauthorized() {
    String alice = newUser("alice");
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(new JsonObject().put("sub", alice)
        .put("exp", System.currentTimeMillis() / 1000 + 3600).encode().getBytes(StandardCharsets.UTF_8));
    assertError(relay.sendAs(header + "." + claims + ".", text(alice, "x")), 401, "unauthorized");
    assertThat(relay.xlen(alice)).isZero();
  }

  @Test
  void tokenWhoseSubIsNotAUserIdIsUnauthorized() {
    String bob = newUser("bob");
    for (String sub : new String[] {"bad user", "x".repeat(65)}) {
      String token = relay.forgeToken(relay.secret, new JsonObject(),
          new JWTOptions().setSubject(sub).setExpiresInSeconds(3600));
      assertError(relay.sendAs(token, text(bob, "x")), 401, "unauthorized");
    }
    String noSub = relay.forgeToken(relay.secret, new JsonObject(), new JWTOptions().setExpiresInSeconds(3600));
    assertError(relay.sendAs(noSub, text(bob, "x")), 401, "unauthorized");
    assertThat(relay.xlen(bob)).isZero();
  }

  @Test
  void unknownApiKeyIsUnauthorized() {
    String bob = newUser("bob");
    for (String key : new String[] {"wrong-key", "", IngestHarness.API_KEY + "x"}) {
      HttpResponse<Buffer> response = IngestHarness.await(relay.request(HttpMethod.POST, "/v1/messages")
          .putHeader("X-Api-Key", key).sendJsonObject(text(bob, "x")));
      assertError(response, 401, "unauthorized");
    }
    assertThat(relay.xlen(bob)).isZero();
  }

  // --- forbidden ----------------------------------------------------------------------------

  @Test
  void userCannotSendAsSomeoneElse() {
    String alice = newUser("alice");
    String mallory = newUser("mallory");
    String bob = newUser("bob");

    assertError(relay.sendAs(relay.token(mallory), text(bob, "x").put("from", alice)), 403, "forbidden");

    assertThat(relay.xlen(bob)).isZero();
    assertThat(relay.xlen(alice)).isZero();
    assertThat(relay.xlen(mallory)).isZero();
  }

  @Test
  void userCannotSendTransientOrEcho() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String token = relay.token(alice);

    assertError(relay.sendAs(token, text(bob, "x").put("transient", true)), 403, "forbidden");
    assertError(relay.sendAs(token, text(bob, "x").put("echo", true)), 403, "forbidden");

    assertThat(relay.xlen(bob)).isZero();
    assertThat(relay.xlen(alice)).isZero();
  }

  // --- not_found ----------------------------------------------------------------------------

  @Test
  void unknownRoomIsNotFound() {
    String alice = newUser("alice");
    assertError(relay.sendAs(relay.token(alice), new JsonObject().put("room", "r1").put("body", "x")), 404, "not_found");
    assertThat(relay.xlen(alice)).isZero();
  }

  @Test
  void unknownPathIsNotFound() {
    String token = relay.token(newUser("alice"));
    assertError(relay.getAs(token, "/v1/nothing-here"), 404, "not_found");
    assertError(IngestHarness.await(relay.request(HttpMethod.GET, "/nothing-here").send()), 404, "not_found");
  }

  @Test
  void wrongMethodIsAnErrorBody() {
    HttpResponse<Buffer> response = IngestHarness.await(relay.request(HttpMethod.DELETE, "/v1/messages")
        .putHeader("X-Api-Key", IngestHarness.API_KEY).send());
    assertError(response, 405, "method_not_allowed");
  }

  // --- payload_too_large --------------------------------------------------------------------

  @Test
  void bodyOfExactlyMaxBodyIsAccepted() {
    String bob = newUser("bob");
    String body = "x".repeat(MAX_BODY - 2);  // serialized with its quotes: MAX_BODY bytes

    HttpResponse<Buffer> response = relay.sendAsBackend(new JsonObject().put("to", bob).put("body", body));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(relay.xlen(bob)).isEqualTo(1);
  }

  @Test
  void bodyOneByteOverMaxBodyIsPayloadTooLarge() {
    String bob = newUser("bob");
    String body = "x".repeat(MAX_BODY - 1);

    assertError(relay.sendAsBackend(new JsonObject().put("to", bob).put("body", body)), 413, "payload_too_large");
    assertError(relay.sendAsBackend(new JsonObject().put("to", bob).put("body", new JsonObject().put("t", body))),
        413, "payload_too_large");
    assertThat(relay.xlen(bob)).isZero();
  }

  @Test
  void bodyCountsInUtf8Bytes() {
    String bob = newUser("bob");
    String body = "é".repeat(MAX_BODY / 2);  // MAX_BODY + 2 bytes once quoted

    assertError(relay.sendAsBackend(new JsonObject().put("to", bob).put("body", body)), 413, "payload_too_large");
    assertThat(relay.xlen(bob)).isZero();
  }

  @Test
  void requestFarOverTheLimitIsPayloadTooLarge() {
    String bob = newUser("bob");
    String body = "x".repeat(4 * 1024 * 1024);

    assertError(relay.sendAsBackend(new JsonObject().put("to", bob).put("body", body)), 413, "payload_too_large");
    assertThat(relay.xlen(bob)).isZero();
  }

  @Test
  void bodyWithinMaxBodyIsAcceptedEvenWhenTheClientEscapesNonAscii() {
    String bob = newUser("bob");
    int chars = 21_000;  // 63,000 bytes in UTF-8, under the 64 KiB default; 126,000 bytes with every char escaped
    String escaped = "\\u4e2d".repeat(chars);  // what Python's json.dumps sends by default (ensure_ascii)

    HttpResponse<Buffer> response = IngestHarness.await(defaultLimits.request(HttpMethod.POST, "/v1/messages")
        .putHeader("X-Api-Key", IngestHarness.API_KEY).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"to\":\"" + bob + "\",\"body\":\"" + escaped + "\"}")));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(onlyEntry(bob).getString("body")).isEqualTo("\u4e2d".repeat(chars));
  }

  // --- helpers ------------------------------------------------------------------------------

  /** The message JSON of the only entry of {@code uid}'s log. */
  private static JsonObject onlyEntry(String uid) {
    Response entries = relay.redis(Request.cmd(Command.XRANGE).arg(RedisKeys.log(uid)).arg("-").arg("+"));
    assertThat(entries.size()).isEqualTo(1);
    Response fields = entries.get(0).get(1);
    assertThat(fields.get(0).toString()).isEqualTo("m");
    return new JsonObject(fields.get(1).toString());
  }
}
