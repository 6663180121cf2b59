package io.relay.push.transport;

import io.relay.service.ApiError;
import io.relay.service.CorsPolicy;
import io.relay.service.Identity;
import io.relay.service.RelayAuth;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may use the HTTP fallbacks (SSE, long-poll, ack), answered as docs/protocol.md#errors JSON, never with
 * WebSocket close codes: an {@code Origin} off {@code RELAY_CORS_ORIGINS} is {@code 403}, a
 * missing token {@code 401}, and {@link #verify} fails a bad or expired one with {@code 401}.
 */
public final class FallbackAuth {

  private final RelayAuth auth;
  private final CorsPolicy cors;

  public FallbackAuth(RelayAuth auth, CorsPolicy cors) {
    this.auth = auth;
    this.cors = cors;
  }

  /** The request's token (header or {@code ?token=}); throws for a foreign origin or no token. */
  String tokenOf(HttpServerRequest request) {
    if (!cors.allows(request)) {
      throw ApiError.forbidden("origin not allowed");
    }
    String token = RelayAuth.tokenOf(request, true);
    if (token == null || token.isBlank()) {
      throw ApiError.unauthorized("missing token: send Authorization: Bearer <jwt> or ?token=");
    }
    return token;
  }

  Future<Identity> verify(String token) {
    return auth.verify(token);
  }
}
