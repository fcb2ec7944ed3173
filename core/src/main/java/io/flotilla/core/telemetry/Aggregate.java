package io.flotilla.core.telemetry;

import java.util.Locale;

/** The aggregate functions over numeric points in a time bucket. */
public enum Aggregate {
  AVG, MIN, MAX, SUM, COUNT, FIRST, LAST;

  /** The lower-case name used in the API ({@code avg}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
