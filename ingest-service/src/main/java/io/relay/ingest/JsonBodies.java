package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.service.ApiError;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Map;

/**
 * Reads request bodies as JSON objects, failing with {@code invalid_json} otherwise. Numbers are
 * read as exact decimals, so a body is stored as sent ({@code 1e400} stays a number, not
 * {@code "Infinity"}, and long decimals keep every digit).
 */
final class JsonBodies {

  private static final ObjectMapper EXACT = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBodies() {
  }

  static JsonObject object(RoutingContext ctx) {
    return object(ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes());
  }

  /** The same for raw bytes ({@code null}: no body). */
  static JsonObject object(byte[] body) {
    if (body == null || body.length == 0) {
      throw new ApiError(ErrorCode.INVALID_JSON, "request body must be a JSON object");
    }
    Object parsed;
    try {
      parsed = EXACT.readValue(body, Object.class);
    } catch (IOException e) {
      throw new ApiError(ErrorCode.INVALID_JSON, "request body is not valid JSON");
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new ApiError(ErrorCode.INVALID_JSON, "request body must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    JsonObject object = new JsonObject((Map<String, Object>) map);
    return object;
  }

  /** The optional string field {@code name}, or {@code invalid_field} when it is not a string. */
  static String optionalString(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ApiError.invalidField(name + " must be a string");
    }
    return text;
  }

  static boolean optionalBoolean(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean flag)) {
      throw ApiError.invalidField(name + " must be true or false");
    }
    return flag;
  }
}
