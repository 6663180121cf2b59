package io.relay.ingest;

import static io.relay.ingest.IngestHarness.await;
import static io.relay.ingest.IngestHarness.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read pages are bounded: at most 100 entries and about 1 MiB, whatever {@code limit} asks for,
 * and {@code next} continues where a page stopped, so following it reads everything once.
 */
class PageBoundsIT {

  /** Bodies of ~60 KiB: 20 of them exceed the byte budget of one page. */
  static final String BIG = "x".repeat(60 * 1024);

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
  void theOwnLogIsServedInPagesOfAtMost100EntriesWhateverTheLimit() {
    String alice = newUser("alice");
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      sent.add(sendToUser(alice, "m" + i));
    }
    String token = relay.token(alice);

    JsonObject first = read(token, "?limit=1000");
    JsonObject second = read(token, "?limit=1000&since=" + first.getString("next"));
    JsonObject end = read(token, "?limit=1000&since=" + second.getString("next"));

    assertThat(first.getJsonArray("messages")).hasSize(100);
    assertThat(second.getJsonArray("messages")).hasSize(50);
    assertThat(end.getJsonArray("messages")).isEmpty();
    List<String> read = new ArrayList<>(ids(first));
    read.addAll(ids(second));
    assertThat(read).isEqualTo(sent);
  }

  @Test
  void theOwnLogIsServedInPagesOfAboutOneMebibyte() {
    String alice = newUser("alice");
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      sent.add(sendToUser(alice, BIG));
    }
    String token = relay.token(alice);
    List<String> read = new ArrayList<>();
    String since = "0";
    int pages = 0;
    while (true) {
      HttpResponse<Buffer> response = relay.getAs(token, "/v1/messages?since=" + since);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body().length()).isLessThanOrEqualTo(Pages.MAX_BYTES + 64 * 1024);
      JsonObject page = response.bodyAsJsonObject();
      if (page.getJsonArray("messages").isEmpty()) {
        break;
      }
      read.addAll(ids(page));
      since = page.getString("next");
      pages++;
    }
    assertThat(pages).isEqualTo(2);
    assertThat(read).isEqualTo(sent);
  }

  @Test
  void roomHistoryIsServedInPagesOfAtMost100EntriesAndAboutOneMebibyte() {
    String room = newUser("room");
    HttpResponse<Buffer> created = await(relay.request(HttpMethod.POST, "/v1/rooms")
        .putHeader("X-Api-Key", IngestHarness.API_KEY)
        .sendJsonObject(new JsonObject().put("id", room).put("members", new JsonArray().add(newUser("bob")))));
    assertThat(created.statusCode()).isEqualTo(201);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 130; i++) {
      sent.add(sendToRoom(room, i < 110 ? "small " + i : BIG));
    }

    List<String> read = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String before = "";
    while (before != null) {
      HttpResponse<Buffer> response = await(relay.request(HttpMethod.GET,
              "/v1/rooms/" + room + "/messages?limit=1000&before=" + before)
          .putHeader("X-Api-Key", IngestHarness.API_KEY).send());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body().length()).isLessThanOrEqualTo(Pages.MAX_BYTES + 64 * 1024);
      JsonObject page = response.bodyAsJsonObject();
      List<String> ids = ids(page);
      sizes.add(ids.size());
      read.addAll(0, ids);
      before = page.getString("next");
    }
    // Newest first: 17 big ones fit in a MiB; then 3 big + 97 small = 100; then the last 13.
    assertThat(sizes).containsExactly(17, 100, 13);
    assertThat(read).isEqualTo(sent);
  }

  private static String sendToUser(String uid, String text) {
    HttpResponse<Buffer> sent = relay.sendAsBackend(new JsonObject().put("to", uid).put("body", text));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    return sent.bodyAsJsonObject().getString("id");
  }

  private static String sendToRoom(String room, String text) {
    HttpResponse<Buffer> sent = relay.sendAsBackend(new JsonObject().put("room", room).put("body", text));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    return sent.bodyAsJsonObject().getString("id");
  }

  private static JsonObject read(String token, String query) {
    HttpResponse<Buffer> response = relay.getAs(token, "/v1/messages" + query);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> ids(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("messages").forEach(m -> ids.add(((JsonObject) m).getString("id")));
    return Collections.unmodifiableList(ids);
  }
}
