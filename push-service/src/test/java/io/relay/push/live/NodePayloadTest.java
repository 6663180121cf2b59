package io.relay.push.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relay.model.Seq;
import io.relay.push.live.NodePayload.Recipient;
import org.junit.jupiter.api.Test;

class NodePayloadTest {

  private static final String JSON = "{\"type\":\"message\",\"id\":\"m1\",\"room\":\"r1\",\"body\":\"a\\nb\"}";

  @Test
  void parsesEveryRecipientWithItsOwnSeqAndTheJsonOnce() {
    NodePayload payload = NodePayload.parse("R\nalice 1732300000000-0\nbob 1732300000001-3\n\n" + JSON);

    assertThat(payload.recipients()).containsExactly(
        new Recipient("alice", Seq.parse("1732300000000-0")),
        new Recipient("bob", Seq.parse("1732300000001-3")));
    assertThat(payload.json()).isEqualTo(JSON);
  }

  @Test
  void theJsonMayHoldBlankLinesOfItsOwnAfterTheHeader() {
    String json = "{\"body\":\"x\n\ny\"}";
    NodePayload payload = NodePayload.parse("R\nalice 5-0\n\n" + json);

    assertThat(payload.recipients()).containsExactly(new Recipient("alice", Seq.parse("5-0")));
    assertThat(payload.json()).isEqualTo(json);
  }

  @Test
  void aPayloadWithoutRecipientsIsEmpty() {
    assertThat(NodePayload.parse("R\n\n" + JSON).recipients()).isEmpty();
  }

  @Test
  void userIdsWithPunctuationSurvive() {
    NodePayload payload = NodePayload.parse("R\nuser:a.b@c-d_e 7-1\n\n" + JSON);

    assertThat(payload.recipients()).containsExactly(new Recipient("user:a.b@c-d_e", Seq.parse("7-1")));
  }

  @Test
  void onlyRoutedPayloadsAreRecognised() {
    assertThat(NodePayload.isRouted("R\nalice 1-0\n\n{}")).isTrue();
    assertThat(NodePayload.isRouted("{\"seq\":\"1-0\"}")).isFalse();
  }

  @Test
  void malformedPayloadsAreRefused() {
    assertThatThrownBy(() -> NodePayload.parse("{\"seq\":\"1-0\"}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice 1-0\n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice 1-0\n\n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice 1-0\n\nnot json")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice\n\n{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice x-y\n\n{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\n 1-0\n\n{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice 1-\n\n{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice 1-0 2\n\n{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice +1-0\n\n{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice 99999999999999999999-0\n\n{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodePayload.parse("R\nalice 9223372036854775808-0\n\n{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSeqWithoutCounterAndTheLargestSeqAreRead() {
    NodePayload payload = NodePayload.parse("R\nalice 42\nbob 9223372036854775807-9223372036854775807\n\n{}");

    assertThat(payload.recipients()).containsExactly(new Recipient("alice", new Seq(42, 0)),
        new Recipient("bob", new Seq(Long.MAX_VALUE, Long.MAX_VALUE)));
  }

  @Test
  void aTransientPayloadListsUsersWithoutSeqs() {
    String typing = "{\"type\":\"typing\",\"from\":\"alice\",\"room\":\"r1\"}";
    NodePayload payload = NodePayload.parse("T\nbob\ncarol\n\n" + typing);

    assertThat(payload.isTransient()).isTrue();
    assertThat(payload.recipients()).containsExactly(new Recipient("bob", null), new Recipient("carol", null));
    assertThat(payload.json()).isEqualTo(typing);
    assertThat(NodePayload.parse("R\nalice 5-0\n\n" + JSON).isTransient()).isFalse();
  }

  @Test
  void aTransientRecipientLineWithASeqIsRefused() {
    assertThatThrownBy(() -> NodePayload.parse("T\nbob 5-0\n\n" + JSON)).isInstanceOf(IllegalArgumentException.class);
  }
}
