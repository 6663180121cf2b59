package io.relay.push.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.Ids;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The binding's value is the JSON object the room scripts and presence read, whatever the node id. */
class BindingsValueTest {

  @Test
  void theValueIsTheJsonObjectItAlwaysWas() {
    String id = Ids.newConnectionId();
    for (String node : new String[] {"push-1", "node \"quoted\" \\ é"}) {
      Bindings bindings = new Bindings(null, node, 60_000);
      for (String transport : new String[] {"ws", "sse", "poll", "odd\"one"}) {
        String value = bindings.value(id, transport, 1_764_500_000_123L);
        JsonObject expected = new JsonObject().put("node", node).put("id", id).put("transport", transport)
            .put("since", 1_764_500_000_123L);
        assertThat(new JsonObject(value)).isEqualTo(expected);
        assertThat(value).isEqualTo(expected.encode());
      }
    }
  }
}
