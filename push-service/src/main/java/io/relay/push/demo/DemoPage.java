package io.relay.push.demo;

import io.relay.service.SharedConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The chat demo of {@code docs/demo.md}, mounted only in dev mode: the page, its script and
 * style, the SDK ({@code /relay-client.js}, copied from {@code clients/js} at build time) and
 * {@code /demo-config.json}, which tells the page where ingest is and which dev API key to use.
 */
public final class DemoPage {

  /** Classpath folder of the page's files. */
  static final String WEBROOT = "relay-demo";
  private static final String FILES = "/(index\\.html|app\\.js|style\\.css|relay-client\\.js)?";

  private final String ingestUrl;

  /**
   * @param ingestUrl {@code RELAY_DEMO_INGEST_URL}: the ingest-service as the browser reaches it;
   *                  null makes the page use its own host name with port 8080
   */
  public DemoPage(String ingestUrl) {
    this.ingestUrl = ingestUrl;
  }

  public void mount(Router router) {
    router.get("/demo-config.json").handler(this::config);
    router.getWithRegex(FILES).handler(StaticHandler.create(WEBROOT).setCachingEnabled(false));
  }

  private void config(RoutingContext ctx) {
    ctx.json(new JsonObject()
        .put("ingestUrl", ingestUrl)
        .put("apiKey", SharedConfig.DEV_API_KEY)
        .put("devOnly", true));
  }
}
