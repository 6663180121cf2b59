package io.relay.push.transport;

import io.relay.model.Ids;
import io.relay.model.Seq;
import io.relay.service.ApiError;
import io.vertx.core.http.HttpServerRequest;

/** The resume parameters every transport takes: {@code since} and {@code device} (docs/protocol.md#websocket). */
final class ResumeParams {
  private ResumeParams() {
  }

  static Seq since(HttpServerRequest request) {
    return since(request.getParam("since"));
  }

  /** The {@code since} value: null when absent, else a seq; throws {@code 400 invalid_field}. */
  static Seq since(String since) {
    if (since == null || since.isEmpty()) {
      return null;
    }
    if (!Seq.isValid(since)) {
      throw ApiError.invalidField("since must be a seq like 1732300000000-0");
    }
    return Seq.parse(since);
  }

  /** SSE's resume cursor: the {@code Last-Event-ID} header an {@code EventSource} sends on reconnect. */
  static Seq lastEventId(HttpServerRequest request) {
    return lastEventId(request.getHeader("Last-Event-ID"));
  }

  static Seq lastEventId(String id) {
    if (id == null || id.isBlank()) {
      return null;
    }
    if (!Seq.isValid(id.trim())) {
      throw ApiError.invalidField("Last-Event-ID must be a seq like 1732300000000-0");
    }
    return Seq.parse(id.trim());
  }

  static String device(HttpServerRequest request) {
    return device(request.getParam("device"));
  }

  static String device(String device) {
    if (device == null || device.isEmpty()) {
      return "default";
    }
    if (!Ids.isValidName(device)) {
      throw ApiError.invalidField("device must be 1-64 characters of [A-Za-z0-9_.:@-]");
    }
    return device;
  }
}
