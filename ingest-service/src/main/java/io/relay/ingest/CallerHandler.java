package io.relay.ingest;

import io.relay.service.ApiError;
import io.relay.service.RelayAuth;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Route step that identifies the caller from {@code X-Api-Key} or {@code Authorization: Bearer}.
 * It runs before the body is read: the request is paused until the caller is known (the body
 * handler after it resumes it), and a refused request is answered {@code 401} without reading
 * its body (see {@link IngestRoutes}: the rest is thrown away and the connection closed).
 */
final class CallerHandler implements Handler<RoutingContext> {

  private static final String KEY = "relay.caller";
  private final RelayAuth auth;
  /**
   * The fingerprint of each API key seen, so a backend's requests are not each hashed again; only
   * configured keys get here, so it holds at most as many entries as {@code RELAY_API_KEYS}.
   */
  private final Map<String, String> fingerprints = new ConcurrentHashMap<>();

  CallerHandler(RelayAuth auth) {
    this.auth = auth;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.request().pause();
    String apiKey = ctx.request().getHeader("X-Api-Key");
    if (apiKey != null) {
      if (!auth.isApiKey(apiKey)) {
        ctx.fail(ApiError.unauthorized("unknown API key"));
        return;
      }
      ctx.put(KEY, Caller.backend(fingerprints.computeIfAbsent(apiKey, CallerHandler::fingerprint)));
      ctx.next();
      return;
    }
    auth.verify(RelayAuth.tokenOf(ctx.request(), false))
        .onSuccess(identity -> {
          ctx.put(KEY, Caller.user(identity));
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  static Caller of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  private static String fingerprint(String apiKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
