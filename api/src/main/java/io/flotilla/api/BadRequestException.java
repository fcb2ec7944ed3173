package io.flotilla.api;

/** The request cannot be read at all: malformed JSON, a body of the wrong shape, a bad query parameter. */
final class BadRequestException extends RuntimeException {
  BadRequestException(String message) {
    super(message, null, false, false);
  }
}
