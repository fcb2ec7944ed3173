package io.flotilla.core.service;

import io.flotilla.core.error.StaleVersionException;
import java.util.Optional;

/** Optimistic concurrency: an If-Match version, when given, must be the current one. */
final class Versions {
  private Versions() {}

  static void check(String entityType, String id, Optional<Long> expected, long current) {
    if (expected.isPresent() && expected.get() != current) {
      throw new StaleVersionException(entityType, id, expected.get(), current);
    }
  }

  /** A compare-and-set that lost a race after the check passed is a stale version too. */
  static void requireUpdated(boolean updated, String entityType, String id) {
    if (!updated) {
      throw new StaleVersionException(entityType, id);
    }
  }
}
