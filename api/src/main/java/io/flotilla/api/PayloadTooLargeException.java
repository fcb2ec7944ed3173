package io.flotilla.api;

/** The body is larger than the limit of the endpoint it was sent to. */
final class PayloadTooLargeException extends RuntimeException {
  PayloadTooLargeException(long limit) {
    super("the request body is larger than " + limit + " bytes, the limit of this endpoint", null, false, false);
  }
}
