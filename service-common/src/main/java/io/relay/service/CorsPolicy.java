package io.relay.service;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;

/** Which browser origins may call a service ({@code RELAY_CORS_ORIGINS}, docs/operations.md). */
public final class CorsPolicy {

  private final List<String> origins;

  public CorsPolicy(List<String> origins) {
    this.origins = origins;
  }

  /** True for requests without {@code Origin} (backends, native apps) and for listed origins. */
  public boolean allows(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    return origin == null || origins.contains("*") || origins.contains(origin);
  }

  /** Adds CORS to every route of {@code router}; with no origins configured browsers get none. */
  public void mount(Router router) {
    if (!origins.isEmpty()) {
      router.route().handler(handler());
    }
  }

  private CorsHandler handler() {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
        .allowedHeaders(Set.of("Authorization", "Content-Type", "X-Api-Key", "Last-Event-ID"))
        .maxAgeSeconds(600);
    if (origins.contains("*")) {
      return cors.addOrigin("*");
    }
    return cors.addOrigins(origins);
  }
}
