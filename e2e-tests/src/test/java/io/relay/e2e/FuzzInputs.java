package io.relay.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random and mutated client input for the fuzz run: ids, query strings, JSON bodies (valid,
 * mutated, truncated, oversized, deeply nested, bad UTF-8) and client frames. Seeded, so a
 * failing run can be repeated with its seed.
 */
final class FuzzInputs {

  private final Random random;
  /** Names the fuzzer may use in paths and bodies, including the victim's (to try to reach it). */
  private final List<String> names;

  FuzzInputs(Random random, List<String> names) {
    this.random = random;
    this.names = names;
  }

  Random random() {
    return random;
  }

  <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** A known name, a near-valid one, or junk (URL-encoded so it survives the request line). */
  String name() {
    return switch (random.nextInt(6)) {
      case 0, 1, 2 -> pick(names);
      case 3 -> "x".repeat(1 + random.nextInt(80));
      case 4 -> pick(List.of("..", "%2F", "a%00b", "%C3%28", "%FF%FE", "a%20b", "%E4%B8%AD", "*", "%7B%7D"));
      default -> randomText(1 + random.nextInt(20), "abcXYZ019_.:@-");
    };
  }

  String queryValue() {
    return switch (random.nextInt(8)) {
      case 0 -> "";
      case 1 -> Long.toString(random.nextLong());
      case 2 -> random.nextInt(2000) + "-" + random.nextInt(5);
      case 3 -> "99999999999999999999999";
      case 4 -> "1700000000000-0";
      case 5 -> pick(List.of("%FF", "%00", "-1", "1.5", "1e9", "NaN", "0x10", "%E4%B8%AD"));
      case 6 -> "01ARZ3NDEKTSV4RRFFQ69G5FAV";
      default -> randomText(random.nextInt(30), "0123456789ABCDEFGHJKMNPQRSTVWXYZ-");
    };
  }

  /** A path on the ingest-service, with a random query now and then. */
  String ingestPath() {
    String path = switch (random.nextInt(12)) {
      case 0, 1 -> "/v1/messages";
      case 2 -> "/v1/messages?since=" + queryValue() + "&limit=" + queryValue();
      case 3 -> "/v1/rooms";
      case 4 -> "/v1/rooms/" + name();
      case 5 -> "/v1/rooms/" + name() + "/members/" + name();
      case 6 -> "/v1/rooms/" + name() + "/messages?limit=" + queryValue() + "&before=" + queryValue();
      case 7 -> "/v1/presence/" + name();
      case 8 -> "/v1/presence?uids=" + name() + "," + name();
      case 9 -> "/v1/tokens";
      case 10 -> pick(List.of("/health/ready", "/health/live", "/metrics", "/", "/v1", "/v1/", "/v2/messages"));
      default -> "/" + randomText(random.nextInt(40), "abc/%.?&=");
    };
    return path;
  }

  /** A path on the push-service's HTTP endpoints (not the WebSocket). */
  String pushPath(String token) {
    String auth = random.nextInt(4) == 0 ? "" : "token=" + token + "&";
    return switch (random.nextInt(7)) {
      case 0 -> "/v1/poll?" + auth + "since=" + queryValue() + "&wait=" + pick(List.of("0", "1", "-1", "61", "x", ""));
      case 1 -> "/v1/sse?" + auth + "since=" + queryValue();
      case 2 -> "/v1/ack?" + auth;
      case 3 -> "/v1/ws?" + auth + "since=" + queryValue() + "&device=" + name();
      case 4 -> pick(List.of("/health/ready", "/metrics", "/", "/demo"));
      case 5 -> "/v1/poll?" + auth + "since=0&wait=" + random.nextInt(3);
      default -> "/" + randomText(random.nextInt(30), "abc/%.?&=");
    };
  }

  /** A request body: valid-looking JSON, mutated, truncated, oversized, deep, bad UTF-8 or random bytes. */
  byte[] body() {
    String valid = validBody().encode();
    byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
    return switch (random.nextInt(10)) {
      case 0, 1 -> bytes;
      case 2 -> mutate(bytes);
      case 3 -> Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      case 4 -> deep(1 + random.nextInt(6000));
      case 5 -> oversized();
      case 6 -> badUtf8(bytes);
      case 7 -> randomBytes(random.nextInt(300));
      case 8 -> new byte[0];
      default -> (valid + valid).getBytes(StandardCharsets.UTF_8);
    };
  }

  JsonObject validBody() {
    JsonObject json = new JsonObject();
    switch (random.nextInt(4)) {
      case 0 -> json.put("to", name());
      case 1 -> json.put("room", name());
      case 2 -> json.put("id", name()).put("members", new JsonArray().add(name()).add(name()));
      default -> json.put("uid", name()).put("ttlSec", random.nextInt(100));
    }
    if (random.nextBoolean()) {
      json.put("body", value(3));
    }
    if (random.nextInt(3) == 0) {
      json.put("clientMsgId", random.nextBoolean() ? "c-" + random.nextInt(50) : value(1));
    }
    if (random.nextInt(5) == 0) {
      json.put(pick(List.of("from", "transient", "echo", "seq", "device")), value(1));
    }
    return json;
  }

  /** A client frame for the WebSocket: valid kinds with random fields, or junk. */
  String frameText() {
    return switch (random.nextInt(8)) {
      case 0 -> new JsonObject().put("type", "ping").encode();
      case 1 -> new JsonObject().put("type", "ack").put("seq", random.nextBoolean() ? queryValue() : value(1)).encode();
      case 2 -> new JsonObject().put("type", "read").put("id", random.nextBoolean() ? queryValue() : value(1)).encode();
      case 3 -> new JsonObject().put("type", pick(List.of("subscribe", "unsubscribe", "typing", "hello", "message")))
          .put("channel", name()).put("to", name()).put("room", name()).encode();
      case 4 -> new String(mutate(validFrame()), StandardCharsets.UTF_8);
      case 5 -> new String(deep(1 + random.nextInt(3000)), StandardCharsets.UTF_8);
      case 6 -> value(3).toString();
      default -> randomText(random.nextInt(200), "{}[]\":,abc0123 \\u");
    };
  }

  private byte[] validFrame() {
    return new JsonObject().put("type", "ack").put("seq", "1-0").encode().getBytes(StandardCharsets.UTF_8);
  }

  Object value(int depth) {
    int kind = random.nextInt(depth > 0 ? 9 : 7);
    return switch (kind) {
      case 0 -> randomText(random.nextInt(40), "abc\"\\/\u00e9\u4e2d\u0000\n");
      case 1 -> random.nextInt();
      case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(300));
      case 3 -> random.nextBoolean();
      case 4 -> new java.math.BigDecimal("1e" + random.nextInt(1000));
      case 5 -> "";
      case 6 -> Long.MAX_VALUE;
      case 7 -> {
        JsonArray array = new JsonArray();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(value(depth - 1));
        }
        yield array;
      }
      default -> {
        JsonObject object = new JsonObject();
        for (int i = random.nextInt(4); i > 0; i--) {
          object.put(randomText(1 + random.nextInt(6), "abtext"), value(depth - 1));
        }
        yield object;
      }
    };
  }

  byte[] mutate(byte[] valid) {
    byte[] bytes = valid.clone();
    for (int flips = 1 + random.nextInt(3); flips > 0 && bytes.length > 0; flips--) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  byte[] deep(int depth) {
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    return ("{\"to\":\"bob\",\"body\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  byte[] oversized() {
    int size = 64 * 1024 + random.nextInt(600 * 1024);
    return ("{\"to\":\"bob\",\"body\":\"" + "y".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  byte[] badUtf8(byte[] valid) {
    byte[] bytes = valid.clone();
    if (bytes.length > 2) {
      int at = 1 + random.nextInt(bytes.length - 2);
      bytes[at] = (byte) (int) pick(List.of(0xC3, 0xFF, 0xED, 0x80, 0xF8));
    }
    return bytes;
  }

  byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  String randomText(int length, String alphabet) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
