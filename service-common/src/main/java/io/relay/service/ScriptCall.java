package io.relay.service;

import io.relay.model.LuaScript;
import java.util.List;

/** One script run: the script, its keys (all in one hash slot on a cluster) and its arguments. */
public record ScriptCall(LuaScript script, List<String> keys, List<String> args) {

  public ScriptCall {
    keys = List.copyOf(keys);
    args = List.copyOf(args);
  }
}
