package io.relay.ingest;

import io.relay.model.LuaScript;
import io.relay.model.RedisKeys;
import io.relay.model.StoredMessage;
import io.relay.service.RedisGateway;
import io.vertx.core.Future;
import java.util.List;

/**
 * Transient messages (docs/protocol.md#sending-post-v1messages): published on the recipient's live channel without being stored, so
 * only connections online now get them (at most once). One round trip
 * ({@code publish-transient.lua}), which also counts the recipient's live bindings at that moment.
 */
final class TransientPublisher {

  private final RedisGateway redis;

  TransientPublisher(RedisGateway redis) {
    this.redis = redis;
  }

  /** Publishes to {@code message.to()}; completes with the number of its connections online then. */
  Future<Integer> publish(StoredMessage message) {
    String to = message.to();
    return redis.eval(LuaScript.PUBLISH_TRANSIENT, List.of(RedisKeys.bindings(to)),
            List.of(RedisKeys.binding(to, ""), RedisKeys.liveChannel(to), message.toTransientFrame()))
        .map(reply -> reply.toInteger());
  }
}
