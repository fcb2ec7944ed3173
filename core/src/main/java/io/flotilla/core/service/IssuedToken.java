package io.flotilla.core.service;

import io.flotilla.core.access.ApiToken;

/** A token just created, with its secret: the only moment the secret exists outside the caller. */
public record IssuedToken(ApiToken token, String secret) {
  @Override
  public String toString() {
    return "IssuedToken[" + token + ", secret=****]";
  }
}
