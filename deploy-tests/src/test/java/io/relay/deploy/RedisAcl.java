package io.relay.deploy;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the Redis settings the deploy files give: the ACL on redis-server's command line, maxmemory, sizes. */
final class RedisAcl {

  private RedisAcl() {
  }

  /** The {@code --user ...} part of a redis-server command line with the password left out. */
  static List<String> of(List<Object> args) {
    List<String> strings = args.stream().map(String::valueOf).toList();
    int first = strings.indexOf("--user");
    return strings.subList(first, strings.size()).stream().filter(a -> !a.startsWith(">")).toList();
  }

  static long maxmemory(String redisConf) {
    Matcher m = Pattern.compile("(?m)^maxmemory\\s+(\\S+)").matcher(redisConf);
    return m.find() ? bytes(m.group(1)) : 0;
  }

  /** {@code 3gb}, {@code 4g}, {@code 4Gi}, {@code 512Mi}, {@code 1024} → bytes (binary multiples, as Redis uses them). */
  static long bytes(String size) {
    Matcher m = Pattern.compile("(\\d+)\\s*([a-z]*)").matcher(size.toLowerCase(Locale.ROOT).trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + size);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "" , "b" -> n;
      case "k", "kb", "ki" -> n << 10;
      case "m", "mb", "mi" -> n << 20;
      case "g", "gb", "gi" -> n << 30;
      default -> throw new IllegalArgumentException("unit of " + size);
    };
  }
}
