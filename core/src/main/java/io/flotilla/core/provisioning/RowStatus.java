package io.flotilla.core.provisioning;

import java.util.Locale;

/** What became of one manifest row. */
public enum RowStatus {
  /** Not worked on yet. */
  PENDING,
  /** The device was registered with its certificate. */
  PROVISIONED,
  /** Refused when its turn came (its id taken meanwhile, say); the error says why. */
  FAILED,
  /** The job was cancelled before its turn. */
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RowStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
