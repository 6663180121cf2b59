package io.relay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relay.model.ChannelPatterns;
import io.relay.model.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RelayAuthTest {

  private static final SharedConfig CONFIG = SharedConfig.fromEnv(Map.of("RELAY_DEV", "true"));

  @Test
  void aMintedTokenCarriesItsChannelRights(Vertx vertx, VertxTestContext test) {
    RelayAuth auth = RelayAuth.create(vertx, CONFIG);
    String token = auth.mint("alice", 60, new ChannelPatterns(List.of("show:*")),
        new ChannelPatterns(List.of("chat:live-1")));
    auth.verify(token).onComplete(test.succeeding(identity -> test.verify(() -> {
      assertEquals("alice", identity.uid());
      assertTrue(identity.maySubscribe("show:42"));
      assertFalse(identity.maySubscribe("chat:live-1"));
      assertTrue(identity.mayPublish("chat:live-1"));
      assertFalse(identity.mayPublish("show:42"));
      test.completeNow();
    })));
  }

  @Test
  void aTokenWithoutClaimsHasNoChannelRights(Vertx vertx, VertxTestContext test) {
    RelayAuth auth = RelayAuth.create(vertx, CONFIG);
    auth.verify(auth.mint("bob", 60)).onComplete(test.succeeding(identity -> test.verify(() -> {
      assertFalse(identity.maySubscribe("show:42"));
      assertFalse(identity.mayPublish("show:42"));
      test.completeNow();
    })));
  }

  @Test
  void aTokenSignedElsewhereWithBadClaimsIsRefused(Vertx vertx, VertxTestContext test) {
    JWTAuth other = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(CONFIG.jwtSecret())));
    String token = other.generateToken(new JsonObject().put("channels", new JsonArray().add("show *")),
        new JWTOptions().setAlgorithm("HS256").setSubject("carol").setExpiresInSeconds(60));
    RelayAuth.create(vertx, CONFIG).verify(token).onComplete(test.failing(e -> test.verify(() -> {
      ApiError error = assertInstanceOf(ApiError.class, e);
      assertEquals(ErrorCode.UNAUTHORIZED, error.code());
      test.completeNow();
    })));
  }
}
