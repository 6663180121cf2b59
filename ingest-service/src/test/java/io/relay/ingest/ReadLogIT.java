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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/messages?since=&limit=} (docs/rooms-presence.md): a user pages through its own log. */
class ReadLogIT {

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
  void userReadsItsLogInOrderWithSeqs() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    List<String> ids = sendTexts(relay.token(alice), bob, 3);

    JsonObject page = read(relay.token(bob), "");

    JsonArray messages = page.getJsonArray("messages");
    assertThat(idsOf(messages)).isEqualTo(ids);
    JsonObject first = messages.getJsonObject(0);
    assertThat(first.getString("type")).isEqualTo("message");
    assertThat(first.getString("seq")).matches("\\d+-\\d+");
    assertThat(first.getString("from")).isEqualTo(alice);
    assertThat(first.getString("to")).isEqualTo(bob);
    assertThat(first.getJsonObject("body")).isEqualTo(new JsonObject().put("text", "m0"));
    assertThat(page.getString("next")).isEqualTo(messages.getJsonObject(2).getString("seq"));
  }

  @Test
  void userSeesOnlyItsOwnLog() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    String carol = newUser("carol");
    sendTexts(relay.token(carol), bob, 2);
    List<String> toAlice = sendTexts(relay.token(carol), alice, 1);

    JsonArray seenByAlice = read(relay.token(alice), "").getJsonArray("messages");

    assertThat(idsOf(seenByAlice)).isEqualTo(toAlice);
  }

  @Test
  void sinceIsExclusiveAndLimitPagesWithNext() {
    String alice = newUser("alice");
    String bob = newUser("bob");
    List<String> ids = sendTexts(relay.token(alice), bob, 5);
    String token = relay.token(bob);

    JsonObject first = read(token, "?limit=2");
    JsonObject second = read(token, "?limit=2&since=" + first.getString("next"));
    JsonObject third = read(token, "?limit=2&since=" + second.getString("next"));
    JsonObject after = read(token, "?limit=2&since=" + third.getString("next"));

    assertThat(idsOf(first.getJsonArray("messages"))).isEqualTo(ids.subList(0, 2));
    assertThat(idsOf(second.getJsonArray("messages"))).isEqualTo(ids.subList(2, 4));
    assertThat(idsOf(third.getJsonArray("messages"))).isEqualTo(ids.subList(4, 5));
    assertThat(after.getJsonArray("messages")).isEmpty();
    assertThat(after.getString("next")).isEqualTo(third.getString("next"));
    String secondSeq = first.getJsonArray("messages").getJsonObject(1).getString("seq");
    assertThat(first.getString("next")).isEqualTo(secondSeq);
  }

  @Test
  void emptyLogAnswersNoMessagesAndTheSameCursor() {
    String token = relay.token(newUser("nobody"));

    JsonObject page = read(token, "?since=1700000000000-3");

    assertThat(page.getJsonArray("messages")).isEmpty();
    assertThat(page.getString("next")).isEqualTo("1700000000000-3");
    assertThat(read(token, "").getJsonArray("messages")).isEmpty();
  }

  @Test
  void invalidSinceIsInvalidField() {
    String token = relay.token(newUser("alice"));
    for (String since : new String[] {"abc", "-1", "1-2-3", "99999999999999999999", "1700000000000-x"}) {
      assertError(relay.getAs(token, "/v1/messages?since=" + since), 400, "invalid_field");
    }
  }

  @Test
  void limitThatIsNotAPositiveIntegerIsInvalidField() {
    String token = relay.token(newUser("alice"));
    for (String limit : new String[] {"0", "-1", "ten", "1.5", "99999999999"}) {
      assertError(relay.getAs(token, "/v1/messages?limit=" + limit), 400, "invalid_field");
    }
    // Above the page bound it is served as the bound (see PageBoundsIT).
    assertThat(relay.getAs(token, "/v1/messages?limit=1001").statusCode()).isEqualTo(200);
    assertThat(relay.getAs(token, "/v1/messages?limit=1").statusCode()).isEqualTo(200);
  }

  @Test
  void backendHasNoLogToRead() {
    HttpResponse<Buffer> response = IngestHarness.await(relay.request(HttpMethod.GET, "/v1/messages")
        .putHeader("X-Api-Key", IngestHarness.API_KEY).send());
    assertError(response, 403, "forbidden");
  }

  @Test
  void readingWithoutCredentialsIsUnauthorized() {
    assertError(IngestHarness.await(relay.request(HttpMethod.GET, "/v1/messages").send()), 401, "unauthorized");
    assertError(relay.getAs("garbage", "/v1/messages"), 401, "unauthorized");
  }

  private static List<String> sendTexts(String token, String to, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<Buffer> response = relay.sendAs(token, text(to, "m" + i));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      ids.add(response.bodyAsJsonObject().getString("id"));
    }
    return ids;
  }

  private static JsonObject read(String token, String query) {
    HttpResponse<Buffer> response = relay.getAs(token, "/v1/messages" + query);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> idsOf(JsonArray messages) {
    List<String> ids = new ArrayList<>();
    messages.forEach(m -> ids.add(((JsonObject) m).getString("id")));
    return ids;
  }
}
