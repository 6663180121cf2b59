package io.relay.e2e;

import io.relay.model.RedisKeys;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a push node exposes from outside: its Prometheus gauges and its bindings in Redis. */
final class PushProbe {

  private final RelayStack relay;
  private final RedisProbe redis;

  PushProbe(RelayStack relay, RedisProbe redis) {
    this.relay = relay;
    this.redis = redis;
  }

  /** A gauge's value as scraped from {@code GET /metrics}, e.g. {@code relay_polls_held}. */
  double gauge(String name) {
    String text = relay.http.get(relay.push.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
    if (!matcher.find()) {
      throw new AssertionError("no metric " + name + " in /metrics");
    }
    return Double.parseDouble(matcher.group(2));
  }

  /** The transports of {@code uid}'s live bindings ({@code ws}, {@code sse}, {@code poll}), as presence reads them. */
  List<String> transports(String uid) {
    List<String> transports = new ArrayList<>();
    for (Response id : redis.send(Command.SMEMBERS, RedisKeys.bindings(uid))) {
      Response binding = redis.send(Command.GET, RedisKeys.binding(uid, id.toString()));
      if (binding != null) {
        transports.add(new JsonObject(binding.toString()).getString("transport"));
      }
    }
    return transports;
  }
}
