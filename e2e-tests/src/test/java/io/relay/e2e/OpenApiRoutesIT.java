package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.RedisProcess;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/openapi.yaml is a valid OpenAPI 3.1 document (checked against the specification's own
 * schema) and describes exactly the routes the two services register: every route of each
 * service's real router is documented under that service's tag (or {@value #BOTH}), and every
 * documented operation is served. (The dev-mode demo page is not part of the API; these nodes
 * run without dev mode.)
 */
class OpenApiRoutesIT {

  private static final String INGEST = "ingest-service";
  private static final String PUSH = "push-service";
  private static final String BOTH = "both services";

  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
      "trace");

  static RedisProcess redis;
  static RelayStack relay;
  static JsonObject document;
  /** "METHOD /path" of every documented operation → its tags. */
  static Map<String, JsonArray> operations;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisProcess.start(); // a process: reading routes needs no container
    relay = RelayStack.start(redis);
    Object yaml = new Yaml().load(Files.readString(openApiFile()));
    document = new JsonObject(Json.encode(yaml));
    operations = operationsOf(document);
  }

  @AfterAll
  static void stop() {
    relay.close();
    redis.close();
  }

  @Test
  void theFileIsAValidOpenApi31DocumentWhoseReferencesResolve() {
    OpenAPIVersion version = OpenAPIVersion.fromContract(document);
    assertThat(version).isEqualTo(OpenAPIVersion.V3_1);
    SchemaRepository schemas = version.getRepository(relay.vertx, "app:///").await();
    OutputUnit result = version.validateContract(relay.vertx, schemas, document).await();
    assertThat(result.getValid()).as("%s", result.getErrors()).isTrue();
    JsonObject resolved = version.resolve(relay.vertx, schemas, document).await();
    assertThat(hasReference(resolved)).as("a $ref left after resolving").isFalse();
  }

  /** True when a {@code $ref} is left anywhere under {@code json} (the document has no cycles). */
  private static boolean hasReference(Object json) {
    if (json instanceof JsonObject object) {
      return object.containsKey("$ref") || object.stream().anyMatch(field -> hasReference(field.getValue()));
    }
    if (json instanceof JsonArray array) {
      return array.stream().anyMatch(OpenApiRoutesIT::hasReference);
    }
    return false;
  }

  @Test
  void everyIngestRouteIsDocumentedAndEveryDocumentedIngestOperationIsServed() {
    assertThat(served(relay.ingest.router())).isEqualTo(documented(INGEST));
  }

  @Test
  void everyPushRouteIsDocumentedAndEveryDocumentedPushOperationIsServed() {
    assertThat(served(relay.push.router())).isEqualTo(documented(PUSH));
  }

  @Test
  void everyOperationNamesOneService() {
    operations.forEach((operation, tags) ->
        assertThat(tags.getList()).as(operation).hasSize(1).containsAnyOf(INGEST, PUSH, BOTH));
  }

  /** The operations documented for {@code service} and those documented for both. */
  private static Set<String> documented(String service) {
    Set<String> documented = new TreeSet<>();
    operations.forEach((operation, tags) -> {
      if ((tags.contains(service) || tags.contains(BOTH))) {
        documented.add(operation);
      }
    });
    return documented;
  }

  private static Map<String, JsonArray> operationsOf(JsonObject document) {
    Map<String, JsonArray> operations = new TreeMap<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (HTTP_METHODS.contains(method)) {
          operations.put(method.toUpperCase() + " " + path,
              item.getJsonObject(method).getJsonArray("tags", new JsonArray()));
        }
      }
    }
    return operations;
  }

  /**
   * "METHOD /path" of every endpoint route, with {@code :param} written {@code {param}}. Routes
   * without a method are the steps every request passes (CORS, body, caller, errors): they must
   * not have an exact path of their own, or they would be an endpoint for every method.
   */
  private static Set<String> served(Router router) {
    Set<String> routes = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.methods() == null || route.methods().isEmpty()) {
        assertThat(route.getPath() == null || !route.isExactPath())
            .as("route %s without a method serves every method", route.getPath()).isTrue();
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      route.methods().forEach(method -> routes.add(method.name() + " " + path));
    }
    return routes;
  }

  /** docs/openapi.yaml, found from the module's directory upwards. */
  private static Path openApiFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("docs").resolve("openapi.yaml");
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException("docs/openapi.yaml not found above " + Path.of("").toAbsolutePath());
  }
}
