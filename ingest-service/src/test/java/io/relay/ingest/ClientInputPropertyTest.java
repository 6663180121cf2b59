package io.relay.ingest;

import io.relay.service.Identity;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.ErrorCode;
import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.service.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property-based tests (fuzzing) of every parser of client input on the ingest side: request
 * bodies, {@code POST /v1/messages}, {@code POST /v1/rooms}, {@code POST /v1/tokens} and the query
 * parameters. Whatever comes in, the answer is the parsed value, whose invariants hold, or an
 * {@link ApiError} with a 4xx code: never another exception (which would be a 500).
 */
class ClientInputPropertyTest {

  static final int MAX_BODY = 1024;
  static final Set<ErrorCode> CLIENT_ERRORS = Set.of(ErrorCode.INVALID_JSON, ErrorCode.INVALID_FIELD,
      ErrorCode.FORBIDDEN, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.ROOM_FULL);
  static final List<Caller> CALLERS = List.of(Caller.user(new Identity("alice", Long.MAX_VALUE)), Caller.backend("0123456789ab"));

  @Property(tries = 800)
  void anyBytesAreAJsonObjectOrInvalidJson(@ForAll("bodies") byte[] body) {
    JsonObject parsed = refusedOr(() -> JsonBodies.object(body), ErrorCode.INVALID_JSON);
    if (parsed != null) {
      assertThat(JsonBodies.object(parsed.toBuffer().getBytes())).isEqualTo(parsed);
    }
  }

  @Property(tries = 800)
  void anySendBodyIsAValidRequestOrA4xx(@ForAll("sendBodies") JsonObject json, @ForAll @IntRange(max = 1) int who) {
    Caller caller = CALLERS.get(who);
    SendRequest request = refusedOr(() -> SendRequest.parse(json, caller, MAX_BODY), null);
    if (request == null) {
      return;
    }
    assertThat(request.to() == null).isNotEqualTo(request.room() == null);
    assertThat(request.to() == null || Ids.isValidName(request.to())).isTrue();
    assertThat(request.room() == null || Ids.isValidName(request.room())).isTrue();
    assertThat(request.clientMsgId() == null || request.clientMsgId().length() <= SendRequest.MAX_CLIENT_MSG_ID)
        .isTrue();
    if (!caller.isBackend()) {
      assertThat(request.from()).as("a user always sends as itself").isEqualTo(caller.uid());
      assertThat(request.isTransient() || request.echo()).isFalse();
    }
    assertThat(io.vertx.core.json.Json.encode(request.body()).getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(MAX_BODY);
  }

  @Property(tries = 500)
  void anyRawBytesThroughTheWholeSendParserAreARequestOrA4xx(@ForAll("bodies") byte[] body) {
    refusedOr(() -> SendRequest.parse(JsonBodies.object(body), CALLERS.get(0), MAX_BODY), null);
  }

  @Property(tries = 500)
  void anyCreateRoomBodyIsAValidRoomOrA4xx(@ForAll("roomBodies") JsonObject json, @ForAll @IntRange(max = 1) int who) {
    Caller caller = CALLERS.get(who);
    CreateRoomRequest request = refusedOr(() -> CreateRoomRequest.parse(json, caller, 5), null);
    if (request == null) {
      return;
    }
    assertThat(Ids.isValidName(request.id())).isTrue();
    assertThat(request.members()).allMatch(Ids::isValidName).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(5);
    if (!caller.isBackend()) {
      assertThat(request.owner()).isEqualTo(caller.uid());
      assertThat(request.members()).contains(caller.uid());
    }
  }

  @Property(tries = 500)
  void anyTokenTtlIsInRangeOrInvalidField(@ForAll("values") Object ttl) {
    Integer parsed = refusedOr(() -> TokenHandler.ttlOf(new JsonObject().put("ttlSec", ttl)), ErrorCode.INVALID_FIELD);
    if (parsed != null) {
      assertThat(parsed).isBetween(1, TokenHandler.MAX_TTL_SEC);
    }
  }

  @Property(tries = 500)
  void anyLimitIsOneToTheBoundOrInvalidField(@ForAll("queryValues") String limit) {
    Integer parsed = refusedOr(() -> Pages.limit(limit, 50), ErrorCode.INVALID_FIELD);
    if (parsed != null) {
      assertThat(parsed).isBetween(1, Pages.MAX_ENTRIES);
    }
  }

  @Property(tries = 500)
  void anySinceIsASeqOrInvalidField(@ForAll("queryValues") String since) {
    Seq parsed = refusedOr(() -> MessageHandlers.since(since), ErrorCode.INVALID_FIELD);
    if (parsed != null && since != null && !since.isEmpty()) {
      assertThat(Seq.parse(parsed.toString())).isEqualTo(parsed);
    }
  }

  @Property(tries = 500)
  void anyBeforeIsAMessageIdOrInvalidField(@ForAll("queryValues") String before) {
    String parsed = refusedOr(() -> RoomHandlers.before(before), ErrorCode.INVALID_FIELD);
    assertThat(parsed == null || parsed.matches("[0-9A-Z]{26}")).isTrue();
  }

  /**
   * The parser's value, or null when it refused with a client error ({@code expected}, or any 4xx
   * code when null). Anything else it throws fails the property.
   */
  private static <T> T refusedOr(Supplier<T> parser, ErrorCode expected) {
    try {
      return parser.get();
    } catch (ApiError e) {
      if (expected != null) {
        assertThat(e.code()).isEqualTo(expected);
      } else {
        assertThat(e.code()).isIn(CLIENT_ERRORS);
      }
      assertThat(e.getMessage()).isNotBlank();
      return null;
    }
  }

  // --- generators ----------------------------------------------------------------------------

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<String> valid = sendBodies().map(JsonObject::encode);
    Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().between(0, 1000),
        Arbitraries.bytes(), Arbitraries.integers().between(0, 3)).as(ClientInputPropertyTest::mutate);
    Arbitrary<byte[]> deep = Arbitraries.integers().between(1, 3000).map(depth ->
        ("{\"to\":\"bob\",\"body\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> badUtf8 = valid.map(text -> {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      bytes[bytes.length / 2] = (byte) 0xC3;
      return bytes;
    });
    return Arbitraries.oneOf(mutated, deep, badUtf8, Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
        valid.map(text -> text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Flips, truncates, duplicates or cuts one spot of a valid body. */
  private static byte[] mutate(String valid, int at, byte value, int how) {
    byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
    int i = at % Math.max(1, bytes.length);
    return switch (how) {
      case 0 -> {
        bytes[i] = value;
        yield bytes;
      }
      case 1 -> Arrays.copyOf(bytes, i);
      case 2 -> (valid + valid).getBytes(StandardCharsets.UTF_8);
      default -> Arrays.copyOfRange(bytes, i, bytes.length);
    };
  }

  @Provide
  Arbitrary<JsonObject> sendBodies() {
    return Combinators.combine(field(names()), field(names()), field(values()), field(values()),
        field(names()), field(values()), field(values())).as((to, room, body, clientMsgId, from, isTransient, echo) -> {
          JsonObject json = new JsonObject();
          put(json, "to", to);
          put(json, "room", room);
          put(json, "body", body);
          put(json, "clientMsgId", clientMsgId);
          put(json, "from", from);
          put(json, "transient", isTransient);
          put(json, "echo", echo);
          return json;
        });
  }

  @Provide
  Arbitrary<JsonObject> roomBodies() {
    Arbitrary<Object> members = Arbitraries.oneOf(names().list().ofMaxSize(8).map(JsonArray::new), values());
    return Combinators.combine(field(names()), field(members)).as((id, list) -> {
      JsonObject json = new JsonObject();
      put(json, "id", id);
      put(json, "members", list);
      return json;
    });
  }

  /** Strings shaped like ids (valid or almost), and anything else JSON can carry. */
  @Provide
  Arbitrary<Object> names() {
    Arbitrary<String> idLike = Arbitraries.strings().withChars("abAB09_.:@- \u00e9/").ofMinLength(0).ofMaxLength(70);
    return Arbitraries.oneOf(idLike.map(s -> (Object) s), Arbitraries.of("alice", "bob", "r1"), values());
  }

  @Provide
  Arbitrary<Object> values() {
    Arbitrary<Object> scalars = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
        Arbitraries.integers().between(1000, 1100).map(n -> (Object) "\u00e9".repeat(n / 2)),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(new java.math.BigDecimal("1e400")));
    return Arbitraries.recursive(() -> scalars, inner -> Arbitraries.oneOf(
        inner.list().ofMaxSize(4).map(list -> (Object) new JsonArray(list)),
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), inner).ofMaxSize(4)
            .map(map -> (Object) new JsonObject(new java.util.HashMap<>(map)))), 0, 3);
  }

  @Provide
  Arbitrary<String> queryValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().numeric().ofMaxLength(25),
        Arbitraries.strings().withChars("0123456789-+ .eE\u0663ABCDEFGHJKMNPQRSTVWXYZ").ofMaxLength(30),
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.<String>just(null), Arbitraries.just(""));
  }

  /** A field that is absent (empty optional), JSON null, or a value. */
  private static Arbitrary<java.util.Optional<Object>> field(Arbitrary<Object> value) {
    return Arbitraries.oneOf(Arbitraries.just(java.util.Optional.empty()),
        Arbitraries.just(java.util.Optional.of(JsonNull.NULL)), value.map(java.util.Optional::of));
  }

  private static void put(JsonObject json, String name, java.util.Optional<Object> value) {
    value.ifPresent(v -> json.put(name, v == JsonNull.NULL ? null : v));
  }

  /** A JSON null as a field value (an Optional cannot hold null). */
  private enum JsonNull {
    NULL
  }
}
