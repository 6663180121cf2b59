package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo chat (docs/demo.md) is served by the push-service in dev mode only. */
class DemoPageIT {

  static TestRedis redis;
  static RelayStack production;
  static RelayStack dev;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    production = RelayStack.start(redis);
    dev = new RelayStack(redis, Map.of("RELAY_DEV", "true"));
  }

  @AfterAll
  static void stop() {
    production.close();
    dev.close();
    redis.close();
  }

  private static HttpResponse<Buffer> get(RelayStack stack, String path) {
    return stack.http.get(stack.push.port(), "127.0.0.1", path).send().await();
  }

  @Test
  void devModeServesThePageTheSdkAndTheDemoConfig() {
    HttpResponse<Buffer> page = get(dev, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.bodyAsString()).contains("Dev mode only");
    assertThat(get(dev, "/relay-client.js").bodyAsString()).contains("export class RelayClient");
    assertThat(get(dev, "/demo-config.json").bodyAsJsonObject().getMap())
        .containsKey("ingestUrl").containsEntry("apiKey", "dev-key").containsEntry("devOnly", true);
  }

  @Test
  void withoutDevModeThereIsNoDemo() {
    for (String path : new String[] {"/", "/index.html", "/relay-client.js", "/demo-config.json"}) {
      HttpResponse<Buffer> response = get(production, path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("not_found");
    }
  }
}
