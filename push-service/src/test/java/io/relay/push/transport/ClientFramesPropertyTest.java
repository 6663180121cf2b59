package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.Seq;
import io.relay.push.transport.ClientFrames.Ack;
import io.relay.push.transport.ClientFrames.Bad;
import io.relay.push.transport.ClientFrames.ChannelFrame;
import io.relay.push.transport.ClientFrames.Parsed;
import io.relay.push.transport.ClientFrames.Ping;
import io.relay.push.transport.ClientFrames.Read;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests (fuzzing) of the client → server frames ({@code ack}, {@code read},
 * {@code ping}, {@code subscribe}, {@code unsubscribe}): any text is read as one frame to act on,
 * whose fields hold their rules, or as a bad frame (answered {@code bad_frame}); nothing throws.
 */
class ClientFramesPropertyTest {

  @Provide
  Arbitrary<String> frames() {
    Arbitrary<Object> types = Arbitraries.of("ping", "ack", "read", "subscribe", "unsubscribe", "pong", "", "ACK",
        1, true);
    Arbitrary<Object> values = Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789-").ofMaxLength(42).map(v -> (Object) v),
        Arbitraries.strings().ofMaxLength(80).map(v -> (Object) v),
        Arbitraries.of(0, -1, 1.5, true, "1732300000000-0", "a".repeat(64), "a".repeat(65)),
        Arbitraries.just(new JsonObject().put("seq", "1-0")));
    Arbitrary<String> objects = Combinators.combine(types, values, values).as((type, seq, id) ->
        new JsonObject().put("type", type).put("seq", seq).put("id", id).put("channel", id).encode());
    Arbitrary<String> truncated = objects.flatMap(json -> Arbitraries.integers().between(0, json.length())
        .map(cut -> json.substring(0, cut)));
    Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
        Arbitraries.of("[]", "null", "1", "\"ping\"", "{\"type\":\"ping\"", "{}", "{\"type\":null}",
            "[".repeat(5000) + "]".repeat(5000), "{\"type\":\"ping\",\"type\":\"ack\"}", "\uD800"));
    return Arbitraries.oneOf(objects, truncated, junk);
  }

  @Property(tries = 2000)
  void anyTextIsOneFrameWhoseRulesHoldOrABadFrame(@ForAll("frames") String text) {
    Parsed frame = ClientFrames.parse(text);
    assertThat(frame).isNotNull();
    if (frame instanceof Ack ack) {
      assertThat(Seq.isValid(ack.seq().toString())).isTrue();
    } else if (frame instanceof Read read) {
      assertThat(read.id()).isNotEmpty().hasSizeLessThanOrEqualTo(64);
    } else if (frame instanceof ChannelFrame channel) {
      assertThat(channel.frame().getValue("type")).isIn("subscribe", "unsubscribe");
    } else if (frame instanceof Bad bad) {
      assertThat(bad.message()).isNotBlank();
    } else {
      assertThat(frame).isInstanceOf(Ping.class);
    }
  }
}
