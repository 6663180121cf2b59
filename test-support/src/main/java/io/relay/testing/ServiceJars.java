package io.relay.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a service's shaded jar ({@code <module>/target/<module>.jar}) from any module's directory. */
public final class ServiceJars {

  private ServiceJars() {
  }

  public static Path of(String module) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path jar = dir.resolve(module).resolve("target").resolve(module + ".jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(module + ".jar not found above " + Path.of("").toAbsolutePath()
        + ": run 'mvn -B package -DskipTests' first (mvn verify builds it before the tests that need it)");
  }
}
