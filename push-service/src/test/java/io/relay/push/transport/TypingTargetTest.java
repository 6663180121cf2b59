package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TypingTargetTest {

  private static TypingTarget of(JsonObject frame) {
    return TypingTarget.of(frame.put("type", "typing"), "alice");
  }

  @Test
  void aUserOrARoom() {
    assertThat(of(new JsonObject().put("to", "bob"))).isEqualTo(new TypingTarget("bob", null, null));
    assertThat(of(new JsonObject().put("room", "r1"))).isEqualTo(new TypingTarget(null, "r1", null));
  }

  @Test
  void refusesNoTargetBothTargetsBadNamesAndYourself() {
    for (JsonObject bad : new JsonObject[] {
        new JsonObject(),
        new JsonObject().put("to", "bob").put("room", "r1"),
        new JsonObject().put("to", 5),
        new JsonObject().put("room", "r 1"),
        new JsonObject().put("to", ""),
        new JsonObject().put("to", "alice")}) {
      TypingTarget target = of(bad);
      assertThat(target.problem()).as(bad.encode()).isNotBlank();
      assertThat(target.to()).isNull();
      assertThat(target.room()).isNull();
    }
  }
}
