package io.relay.loadtest;

import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} command-line options with defaults; unknown names are an error. */
final class Args {

  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, String... known) {
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, eq);
      if (!java.util.List.of(known).contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      values.put(name, arg.substring(eq + 1));
    }
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  long longValue(String name, long fallback) {
    return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
  }
}
