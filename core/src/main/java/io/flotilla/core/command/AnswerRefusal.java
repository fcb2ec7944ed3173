package io.flotilla.core.command;

import java.util.Objects;

/**
 * Why a device's answer was refused, as the device is told on {@code …/response/rejected}: an HTTP-like
 * {@code code} (400, 404, 409, 422), a kebab-case {@code error} and a sentence.
 */
public record AnswerRefusal(int code, String error, String message) {
  public AnswerRefusal {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(message, "message");
  }
}
