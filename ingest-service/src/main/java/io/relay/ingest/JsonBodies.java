package io.relay.ingest;

import io.relay.model.ErrorCode;
import io.relay.service.ApiError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads request bodies as JSON objects, failing with {@code invalid_json} otherwise. */
final class JsonBodies {

  private JsonBodies() {
  }

  static JsonObject object(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw new ApiError(ErrorCode.INVALID_JSON, "request body must be a JSON object");
    }
    Object parsed;
    try {
      parsed = ctx.body().buffer().toJsonValue();
    } catch (DecodeException e) {
      throw new ApiError(ErrorCode.INVALID_JSON, "request body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw new ApiError(ErrorCode.INVALID_JSON, "request body must be a JSON object");
    }
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
