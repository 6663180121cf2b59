package io.relay.service;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Reads typed settings from an environment map, failing with a message that names the variable. */
public final class Env {

  private final Map<String, String> values;

  public Env(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Every variable name {@code reader} looks up, found by running it on an environment that
   * records each lookup (in dev mode, so no secret is required). Lets deploy files and docs be
   * checked against the settings the code really reads, without a second hand-kept list.
   */
  public static Set<String> namesReadBy(Consumer<Map<String, String>> reader) {
    Set<String> names = new LinkedHashSet<>();
    reader.accept(new AbstractMap<>() {
      @Override
      public String get(Object key) {
        names.add((String) key);
        return "RELAY_DEV".equals(key) ? "true" : null;
      }

      @Override
      public Set<Entry<String, String>> entrySet() {
        return Collections.emptySet();
      }
    });
    return Collections.unmodifiableSet(names);
  }

  public String string(String name, String fallback) {
    String value = values.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  public int integer(String name, int fallback, int min, int max) {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }

  public boolean bool(String name) {
    return "true".equalsIgnoreCase(string(name, "false"));
  }

  /** A comma-separated list, blanks dropped; empty when unset. */
  public List<String> list(String name) {
    String value = string(name, "");
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
