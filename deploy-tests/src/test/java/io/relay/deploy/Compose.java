package io.relay.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** deploy/docker-compose.yml as one project of its own, driven through the docker CLI. */
final class Compose {

  private final List<String> command;
  private final String project;
  private final Map<String, String> env;

  private Compose(List<String> command, String project, Map<String, String> env) {
    this.command = command;
    this.project = project;
    this.env = env;
  }

  /** Why the stack cannot run here, or null when it can: a daemon answers and a compose CLI exists. */
  static String unavailableReason() {
    Result info = run(List.of("docker", "info"), Map.of(), 30);
    if (info.exit != 0) {
      return "no Docker daemon answers (docker info: " + info.lastLine() + ")";
    }
    return cli() == null ? "neither 'docker compose' nor 'docker-compose' is installed" : null;
  }

  private static List<String> cli() {
    if (run(List.of("docker", "compose", "version"), Map.of(), 30).exit == 0) {
      return List.of("docker", "compose");
    }
    return run(List.of("docker-compose", "version"), Map.of(), 30).exit == 0 ? List.of("docker-compose") : null;
  }

  static Compose project(String project, Map<String, String> env) {
    List<String> base = new ArrayList<>(cli());
    base.addAll(List.of("-p", project, "-f", DeployFiles.path("deploy/docker-compose.yml").toString()));
    return new Compose(base, project, env);
  }

  Result up() {
    return compose(900, "up", "-d", "--build");
  }

  Result kill(String service) {
    return compose(60, "kill", service);
  }

  Result start(String service) {
    return compose(120, "start", service);
  }

  Result stop(String service, int graceSeconds) {
    return compose(graceSeconds + 60, "stop", "-t", Integer.toString(graceSeconds), service);
  }

  Result logs() {
    return compose(60, "logs", "--no-color", "--tail=40");
  }

  Result down() {
    return compose(300, "down", "-v", "--remove-orphans");
  }

  /** The health of a service's container as Docker reports it (healthy, starting, unhealthy). */
  String health(String service) {
    Result id = compose(30, "ps", "-q", service);
    return run(List.of("docker", "inspect", "-f", "{{.State.Health.Status}}", id.output.strip()), env, 30)
        .output.strip();
  }

  String project() {
    return project;
  }

  private Result compose(int timeoutSec, String... args) {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of(args));
    return run(full, env, timeoutSec);
  }

  static Result run(List<String> command, Map<String, String> env, int timeoutSec) {
    try {
      Path output = Files.createTempFile("relay-compose-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      boolean done = process.waitFor(timeoutSec, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly().waitFor();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      return new Result(done ? process.exitValue() : -1, text);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }

  record Result(int exit, String output) {

    String lastLine() {
      String[] lines = output.strip().split("\n");
      return lines[lines.length - 1];
    }

    Result orFail(String what) {
      if (exit != 0) {
        throw new AssertionError(what + " failed (exit " + exit + "):\n" + output);
      }
      return this;
    }
  }
}
