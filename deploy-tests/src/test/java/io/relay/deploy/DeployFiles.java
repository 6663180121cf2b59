package io.relay.deploy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.Yaml;

/** The repository's deploy/ files, read from any module directory. */
final class DeployFiles {

  private DeployFiles() {
  }

  /** The repository root: the nearest directory above the working one that has deploy/. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("deploy/docker-compose.yml"))) {
      dir = dir.getParent();
    }
    return Objects.requireNonNull(dir, "no deploy/docker-compose.yml above " + Path.of("").toAbsolutePath());
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static String text(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML file, as maps. */
  static List<Map<String, Object>> yamlDocuments(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      List<Map<String, Object>> documents = new ArrayList<>();
      for (Object document : new Yaml().loadAll(reader)) {
        if (document != null) {
          documents.add(map(document));
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> yaml(String relative) {
    List<Map<String, Object>> documents = yamlDocuments(path(relative));
    if (documents.size() != 1) {
      throw new IllegalStateException(relative + " has " + documents.size() + " documents, expected 1");
    }
    return documents.get(0);
  }

  static JsonObject json(String relative) {
    return new JsonObject(text(relative));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }

  /** The value at a path of map keys, e.g. {@code at(doc, "spec", "template", "spec")}. */
  static Object at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }
}
