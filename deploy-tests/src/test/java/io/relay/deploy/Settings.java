package io.relay.deploy;

import io.relay.ingest.IngestConfig;
import io.relay.push.PushConfig;
import io.relay.service.warmup.Warmup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every environment variable a service reads, from the code itself: the config records
 * ({@code IngestConfig.variables()}, {@code PushConfig.variables()}), the start-up warm-up's
 * ({@code Warmup.variables()}) and the logging setup both
 * services share ({@code logback.xml}, which substitutes {@code ${RELAY_LOG_...}}).
 */
final class Settings {

  private Settings() {
  }

  static Set<String> ingest() {
    return with(IngestConfig.variables());
  }

  static Set<String> push() {
    return with(PushConfig.variables());
  }

  private static Set<String> with(Set<String> config) {
    Set<String> all = new LinkedHashSet<>(config);
    all.addAll(Warmup.variables());
    all.addAll(logging());
    return all;
  }

  static Set<String> logging() {
    try (InputStream in = Objects.requireNonNull(Settings.class.getResourceAsStream("/logback.xml"))) {
      Matcher m = Pattern.compile("\\$\\{(RELAY_[A-Z_]+)").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Set<String> names = new LinkedHashSet<>();
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
