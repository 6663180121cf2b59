package io.relay.service;

import io.relay.model.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure with its docs/protocol.md#errors code; the error renderer turns it into the status and JSON body. It may
 * carry extra fields for the error object (e.g. the {@code clientMsgId} of a send answered 503)
 * and, for {@code 429}, the seconds to put in {@code Retry-After}.
 */
public final class ApiError extends RuntimeException {

  private final ErrorCode code;
  private final Map<String, String> details;
  private final int retryAfterSec;

  public ApiError(ErrorCode code, String message) {
    this(code, message, Map.of(), 0);
  }

  private ApiError(ErrorCode code, String message, Map<String, String> details, int retryAfterSec) {
    super(message, null, false, false);
    this.code = code;
    this.details = Map.copyOf(details);
    this.retryAfterSec = retryAfterSec;
  }

  public ErrorCode code() {
    return code;
  }

  /** Extra fields of the error object, beside {@code code} and {@code message}. */
  public Map<String, String> details() {
    return details;
  }

  /** Seconds for {@code Retry-After} (0: the renderer's default for the code). */
  public int retryAfterSec() {
    return retryAfterSec;
  }

  /** The same error with one more field in its error object. */
  public ApiError withDetail(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(details);
    more.put(name, value);
    return new ApiError(code, getMessage(), more, retryAfterSec);
  }

  public static ApiError invalidField(String message) {
    return new ApiError(ErrorCode.INVALID_FIELD, message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(ErrorCode.UNAUTHORIZED, message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(ErrorCode.FORBIDDEN, message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(ErrorCode.UNAVAILABLE, message);
  }

  /** {@code 429 rate_limited}, with {@code Retry-After} the whole seconds (at least 1) covering {@code waitMs}. */
  public static ApiError rateLimited(String message, long waitMs) {
    int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (waitMs + 999) / 1000));
    return new ApiError(ErrorCode.RATE_LIMITED, message, Map.of(), seconds);
  }
}
