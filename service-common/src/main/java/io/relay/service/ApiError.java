package io.relay.service;

import io.relay.model.ErrorCode;

/** A failure with its §7 code; the error renderer turns it into the status and JSON body. */
public final class ApiError extends RuntimeException {

  private final ErrorCode code;

  public ApiError(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
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
}
