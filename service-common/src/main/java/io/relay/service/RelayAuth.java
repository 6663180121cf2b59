package io.relay.service;

import io.relay.model.ChannelPatterns;
import io.relay.model.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Verifies user JWTs (HS256, {@code sub} + {@code exp} required; optional {@code channels} and
 * {@code publish} claims with channel rights) and backend API keys. See docs/protocol.md.
 * {@code nbf} and {@code iat} are checked with {@link #CLOCK_LEEWAY_SEC} of leeway, so a token
 * minted on a host whose clock is a little ahead is not refused as "not yet valid"; {@code exp}
 * is checked without leeway. A token verified in the last 30 s is recognised by its exact text
 * without checking its signature again (a reconnect storm presents each token several times).
 */
public final class RelayAuth {

  /** Clock skew tolerated between the host that signed a token and this node ({@code nbf}, {@code iat}). */
  public static final int CLOCK_LEEWAY_SEC = 60;

  /** Verified tokens remembered at most (see {@link VerifiedTokens}): a few hundred KB. */
  static final int REMEMBERED_TOKENS = 2048;

  private final JWTAuth jwt;
  private final List<byte[]> apiKeys;
  private final VerifiedTokens verified = new VerifiedTokens(REMEMBERED_TOKENS, System::currentTimeMillis);

  private RelayAuth(JWTAuth jwt, List<byte[]> apiKeys) {
    this.jwt = jwt;
    this.apiKeys = apiKeys;
  }

  public static RelayAuth create(Vertx vertx, SharedConfig config) {
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.jwtSecret()))
        .setJWTOptions(new JWTOptions().setAlgorithm("HS256").setLeeway(CLOCK_LEEWAY_SEC)));
    List<byte[]> keys = config.apiKeys().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    return new RelayAuth(jwt, keys);
  }

  /** The user a token belongs to; fails with {@code unauthorized} for a bad or expired token. */
  public Future<Identity> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(ApiError.unauthorized("missing token"));
    }
    Identity known = verified.get(token);
    if (known != null) {
      return Future.succeededFuture(known); // the same text verified moments ago, and not expired since
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(ApiError.unauthorized("invalid or expired token")))
        .compose(user -> identityOf(user.attributes().getJsonObject("accessToken", new JsonObject())))
        .onSuccess(identity -> verified.put(token, identity));
  }

  private static Future<Identity> identityOf(JsonObject claims) {
    String sub = claims.getString("sub");
    Object exp = claims.getValue("exp");
    if (!(exp instanceof Number expSeconds)) {
      return Future.failedFuture(ApiError.unauthorized("token has no exp"));
    }
    // The leeway above is for nbf/iat; an expired token stays expired.
    if (expSeconds.longValue() * 1000 <= System.currentTimeMillis()) {
      return Future.failedFuture(ApiError.unauthorized("invalid or expired token"));
    }
    if (!Ids.isValidName(sub)) {
      return Future.failedFuture(ApiError.unauthorized("token sub is not a valid user id"));
    }
    try {
      return Future.succeededFuture(new Identity(sub, expSeconds.longValue() * 1000,
          ChannelPatterns.fromJson(claims.getValue("channels"), "channels"),
          ChannelPatterns.fromJson(claims.getValue("publish"), "publish")));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiError.unauthorized("token claims are invalid: " + e.getMessage()));
    }
  }

  /** True when {@code key} is one of the configured API keys (compared in constant time). */
  public boolean isApiKey(String key) {
    if (key == null) {
      return false;
    }
    byte[] given = key.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] candidate : apiKeys) {
      match |= MessageDigest.isEqual(candidate, given);
    }
    return match;
  }

  /** A user token for {@code uid} valid for {@code ttlSec} seconds, without channel rights. */
  public String mint(String uid, int ttlSec) {
    return mint(uid, ttlSec, ChannelPatterns.NONE, ChannelPatterns.NONE);
  }

  /** A user token carrying channel rights as the {@code channels} and {@code publish} claims (left out when empty). */
  public String mint(String uid, int ttlSec, ChannelPatterns channels, ChannelPatterns publish) {
    JsonObject claims = new JsonObject();
    if (!channels.isEmpty()) {
      claims.put("channels", new JsonArray(channels.patterns()));
    }
    if (!publish.isEmpty()) {
      claims.put("publish", new JsonArray(publish.patterns()));
    }
    return jwt.generateToken(claims,
        new JWTOptions().setAlgorithm("HS256").setSubject(uid).setExpiresInSeconds(ttlSec));
  }

  /** The bearer token of a request: the {@code Authorization} header, else {@code ?token=}. */
  public static String tokenOf(HttpServerRequest request, boolean allowQuery) {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return allowQuery ? request.getParam("token") : null;
  }
}
