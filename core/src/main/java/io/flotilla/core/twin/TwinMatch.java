package io.flotilla.core.twin;

import java.util.Objects;

/** A device whose twin matched a query, with the twin's version at the time. */
public record TwinMatch(String device, String name, long version) {
  public TwinMatch {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(name, "name");
  }
}
