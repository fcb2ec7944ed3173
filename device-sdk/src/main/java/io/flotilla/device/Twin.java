package io.flotilla.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A device twin as the platform answered {@code twin/get}: desired and reported state, what desired
 * asks that reported does not show yet ({@code delta}), and per-leaf {@code updatedAt} metadata.
 */
public record Twin(String name, long version, ObjectNode desired, ObjectNode reported, ObjectNode delta,
    ObjectNode metadata) {
  /** Checks that nothing is null. */
  public Twin {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(desired, "desired");
    Objects.requireNonNull(reported, "reported");
    Objects.requireNonNull(delta, "delta");
    Objects.requireNonNull(metadata, "metadata");
  }
}
