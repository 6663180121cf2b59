package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FramesTest {

  @Test
  void helloIsTheJsonObjectOfDocsProtocol() {
    String connectionId = Ids.newConnectionId();
    for (String uid : new String[] {"alice", "bob.smith@example.com:1_-", "weird\"id\\"}) {
      for (boolean recovered : new boolean[] {true, false}) {
        JsonObject expected = new JsonObject().put("type", "hello").put("uid", uid).put("connectionId", connectionId)
            .put("heartbeatSec", 25).put("recovered", recovered);
        String hello = Frames.hello(uid, connectionId, 25, recovered);
        assertEquals(expected, new JsonObject(hello));
        assertEquals(expected.encode(), hello); // same bytes as before, fields in the same order
      }
    }
  }
}
