package io.relay.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a parser: it drops what cannot be a metric name
 * (strings, label matchers, grouping clauses, durations, numbers), then keeps every remaining
 * identifier that is not a function call or a keyword. Enough for the dashboard's and alert rules'
 * queries, and strict enough that a misspelt metric shows up as a name nobody exports.
 */
final class PromQl {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
      "on", "ignoring", "group_left", "group_right", "inf", "nan");
  private static final Pattern RATE_OF = Pattern.compile("\\b(?:rate|irate|increase)\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

  private PromQl() {
  }

  static Set<String> metricNames(String expr) {
    String stripped = RANGE.matcher(GROUPING.matcher(MATCHERS.matcher(STRING.matcher(expr).replaceAll(" "))
        .replaceAll(" ")).replaceAll(" ")).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(stripped);
    while (m.find()) {
      String name = m.group();
      boolean call = stripped.substring(m.end()).stripLeading().startsWith("(");
      boolean numberPart = m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1));
      if (!call && !numberPart && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }

  /** The metrics an expression takes a rate or increase of: these must be counters (or histogram series). */
  static Set<String> ratedMetrics(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = RATE_OF.matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
