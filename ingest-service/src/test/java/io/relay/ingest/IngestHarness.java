package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.RedisKeys;
import io.relay.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One ingest-service deployed in-process against a real Redis, a real HTTP client, and a
 * separate Redis client to look at what was stored. Shared by the ingest ITs.
 */
final class IngestHarness implements AutoCloseable {

  static final String API_KEY = "test-key";
  /** Longest wait for one HTTP answer or Redis reply: a hung call fails the test instead of the build. */
  static final long WAIT_SEC = 15;

  final Vertx vertx = Vertx.vertx();
  final WebClient http = WebClient.create(vertx);
  final String secret = "test-secret-" + UUID.randomUUID();
  final Redis redis;
  final IngestVerticle ingest;

  private IngestHarness(TestRedis server, Map<String, String> overrides, LongSupplier nodeClock) {
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_URL", server.url());
    env.put("RELAY_JWT_SECRET", secret);
    env.put("RELAY_API_KEYS", API_KEY);
    env.put("RELAY_INGEST_PORT", "0");
    env.put("RELAY_REDIS_TIMEOUT_MS", "1000");
    env.putAll(overrides);
    redis = Redis.createClient(vertx, server.url());
    IngestConfig config = IngestConfig.fromEnv(env);
    ingest = new IngestVerticle(config, nodeClock); // one event loop: deployed, then told to listen
    await(vertx.deployVerticle(ingest));
    await(ingest.listen(config.port()));
  }

  /** Deploys an ingest node on {@code server} with the test defaults plus {@code overrides}. */
  static IngestHarness start(TestRedis server, Map<String, String> overrides) {
    return new IngestHarness(server, overrides, System::currentTimeMillis);
  }

  /** The same, with the node's clock given (Unix ms), e.g. skewed against Redis's. */
  static IngestHarness start(TestRedis server, Map<String, String> overrides, LongSupplier nodeClock) {
    return new IngestHarness(server, overrides, nodeClock);
  }

  /** A fresh user id, so tests never see each other's data, even on a shared Redis. */
  static String newUser(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return http.request(method, ingest.port(), "127.0.0.1", path);
  }

  /** A token minted through {@code POST /v1/tokens}, valid for an hour. */
  String token(String uid) {
    return token(uid, 3600);
  }

  String token(String uid, int ttlSec) {
    HttpResponse<Buffer> response = mint(new JsonObject().put("uid", uid).put("ttlSec", ttlSec));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  /** A token with channel rights: {@code channels} (may read) and {@code publish} (may publish) patterns. */
  String tokenWithChannels(String uid, List<String> channels, List<String> publish) {
    HttpResponse<Buffer> response = mint(new JsonObject().put("uid", uid)
        .put("channels", new JsonArray(channels)).put("publish", new JsonArray(publish)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  HttpResponse<Buffer> mint(JsonObject body) {
    return await(request(HttpMethod.POST, "/v1/tokens").putHeader("X-Api-Key", API_KEY).sendBuffer(body.toBuffer()));
  }

  /** A token signed with {@code signingSecret} and the given claims, for tokens the service must refuse. */
  String forgeToken(String signingSecret, JsonObject claims, JWTOptions options) {
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(signingSecret)));
    return jwt.generateToken(claims, options.setAlgorithm("HS256"));
  }

  /** POST /v1/messages with a user token. */
  HttpResponse<Buffer> sendAs(String token, JsonObject message) {
    return sendRaw(token, message.toBuffer());
  }

  HttpResponse<Buffer> sendRaw(String token, Buffer body) {
    return await(request(HttpMethod.POST, "/v1/messages").putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json").sendBuffer(body));
  }

  /** POST /v1/messages with the API key. */
  HttpResponse<Buffer> sendAsBackend(JsonObject message) {
    return await(request(HttpMethod.POST, "/v1/messages").putHeader("X-Api-Key", API_KEY)
        .putHeader("Content-Type", "application/json").sendBuffer(message.toBuffer()));
  }

  /** POST /v1/channels/{channel}/messages with a user token. */
  HttpResponse<Buffer> publishAs(String token, String channel, JsonObject message) {
    return await(request(HttpMethod.POST, channelPath(channel)).putHeader("Authorization", "Bearer " + token)
        .sendBuffer(message.toBuffer()));
  }

  /** POST /v1/channels/{channel}/messages with the API key. */
  HttpResponse<Buffer> publishAsBackend(String channel, JsonObject message) {
    return await(request(HttpMethod.POST, channelPath(channel)).putHeader("X-Api-Key", API_KEY)
        .sendBuffer(message.toBuffer()));
  }

  /** The path of a channel's messages, the name URL-encoded. */
  static String channelPath(String channel) {
    return "/v1/channels/" + URLEncoder.encode(channel, StandardCharsets.UTF_8).replace("+", "%20") + "/messages";
  }

  /** GET on a path with the API key. */
  HttpResponse<Buffer> getAsBackend(String path) {
    return await(request(HttpMethod.GET, path).putHeader("X-Api-Key", API_KEY).send());
  }

  /** GET on a path with a user token. */
  HttpResponse<Buffer> getAs(String token, String path) {
    return await(request(HttpMethod.GET, path).putHeader("Authorization", "Bearer " + token).send());
  }

  static JsonObject text(String to, String text) {
    return new JsonObject().put("to", to).put("body", new JsonObject().put("text", text));
  }

  Response redis(Request request) {
    return await(redis.send(request));
  }

  long xlen(String uid) {
    return redis(Request.cmd(Command.XLEN).arg(RedisKeys.log(uid))).toLong();
  }

  boolean exists(String key) {
    return redis(Request.cmd(Command.EXISTS).arg(key)).toInteger() == 1;
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(WAIT_SEC, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + WAIT_SEC + " s", e);
    }
  }

  /** Asserts a docs/protocol.md#errors error: the status, {@code {"error":{"code":code,"message":<non-blank>}}}. */
  static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error).as(response.bodyAsString()).isNotNull();
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }

  @Override
  public void close() {
    http.close();
    await(vertx.close());
  }
}
