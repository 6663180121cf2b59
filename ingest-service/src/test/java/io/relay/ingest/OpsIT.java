package io.relay.ingest;

import static io.relay.ingest.IngestHarness.await;
import static io.relay.ingest.IngestHarness.newUser;
import static io.relay.ingest.IngestHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health probes, Prometheus metrics and CORS of the ingest-service (docs/operations.md). */
class OpsIT {

  static final String ALLOWED_ORIGIN = "https://app.example";

  static TestRedis server;
  static IngestHarness relay;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    relay = IngestHarness.start(server, Map.of("RELAY_CORS_ORIGINS", ALLOWED_ORIGIN + ", https://admin.example"));
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
  void livenessAnswersOkWithJson() {
    HttpResponse<Buffer> response = get("/health/live");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("up");
  }

  @Test
  void readinessAnswersOkWhenRedisTakesWrites() {
    HttpResponse<Buffer> response = get("/health/ready");

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("ready");
  }

  @Test
  void metricsArePrometheusTextListingTheMetersOfSection8() {
    HttpResponse<Buffer> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(response.bodyAsString()).contains(
        "# TYPE relay_messages_stored_total counter",
        "relay_messages_published_total",
        "relay_messages_delivered_total",
        "relay_redis_errors_total",
        "relay_queue_drops_total",
        "relay_delivery_latency_seconds_bucket");
  }

  @Test
  void storedCounterGrowsByOnePerStoredMessage() {
    String alice = newUser("alice");
    double before = storedTotal();

    HttpResponse<Buffer> sent = relay.sendAs(relay.token(alice), text(newUser("bob"), "count me"));

    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    assertThat(storedTotal()).isEqualTo(before + 1);
  }

  @Test
  void duplicateIsNotCountedAsStored() {
    String token = relay.token(newUser("alice"));
    JsonObject message = text(newUser("bob"), "once").put("clientMsgId", "c-1");
    assertThat(relay.sendAs(token, message).statusCode()).isEqualTo(201);
    double before = storedTotal();

    assertThat(relay.sendAs(token, message).statusCode()).isEqualTo(200);

    assertThat(storedTotal()).isEqualTo(before);
  }

  @Test
  void preflightFromAllowedOriginIsAllowed() {
    HttpResponse<Buffer> response = preflight(ALLOWED_ORIGIN);

    assertThat(response.statusCode()).isBetween(200, 299);
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
    assertThat(response.getHeader("Access-Control-Allow-Methods")).contains("POST", "PATCH", "DELETE"); // PATCH: edits
    assertThat(response.getHeader("Access-Control-Allow-Headers")).containsIgnoringCase("Authorization");
  }

  @Test
  void preflightFromOtherOriginGetsNoCorsHeaders() {
    HttpResponse<Buffer> response = preflight("https://evil.example");

    assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void requestFromOtherOriginIsRefusedWithSection7Error() {
    HttpResponse<Buffer> response = await(relay.request(HttpMethod.GET, "/health/live")
        .putHeader("Origin", "https://evil.example").send());

    assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
    IngestHarness.assertError(response, 403, "forbidden");
  }

  @Test
  void requestFromAllowedOriginCarriesCorsHeader() {
    HttpResponse<Buffer> response = await(relay.request(HttpMethod.GET, "/health/live")
        .putHeader("Origin", ALLOWED_ORIGIN).send());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
  }

  @Test
  void requestWithoutOriginIsUnaffected() {
    HttpResponse<Buffer> sent = relay.sendAs(relay.token(newUser("alice")), text(newUser("bob"), "native app"));

    assertThat(sent.statusCode()).isEqualTo(201);
    assertThat(sent.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  private static HttpResponse<Buffer> preflight(String origin) {
    return await(relay.request(HttpMethod.OPTIONS, "/v1/messages")
        .putHeader("Origin", origin)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "authorization,content-type")
        .send());
  }

  private static HttpResponse<Buffer> get(String path) {
    return await(relay.request(HttpMethod.GET, path).send());
  }

  private static double storedTotal() {
    String text = get("/metrics").bodyAsString();
    Matcher value = Pattern.compile("(?m)^relay_messages_stored_total(?:\\{[^}]*})? (\\S+)$").matcher(text);
    assertThat(value.find()).as("relay_messages_stored_total in:\n%s", text).isTrue();
    return Double.parseDouble(value.group(1));
  }
}
