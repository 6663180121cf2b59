package io.relay.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LuaScriptModeTest {

  @Test
  void plainScriptsPublishWithPublish() {
    assertSame(LuaScript.STORE_MESSAGE, LuaScript.STORE_MESSAGE.in(PubSubMode.PLAIN));
    assertTrue(LuaScript.STORE_MESSAGE.source().contains("local PUBLISH = 'PUBLISH'"));
  }

  @Test
  void shardedScriptsPublishWithSpublishOnly() {
    for (LuaScript script : new LuaScript[] {LuaScript.STORE_MESSAGE, LuaScript.STORE_CHANNEL_MESSAGE,
        LuaScript.PUBLISH_TRANSIENT, LuaScript.CONVERSATION_READ}) {
      LuaScript sharded = script.in(PubSubMode.SHARDED);
      assertTrue(sharded.source().contains("local PUBLISH = 'SPUBLISH'"), script.name());
      assertFalse(sharded.source().contains("redis.call('PUBLISH'"), script.name());
      assertNotEquals(script.sha1(), sharded.sha1());
      assertSame(sharded, script.in(PubSubMode.SHARDED));
    }
  }
}
