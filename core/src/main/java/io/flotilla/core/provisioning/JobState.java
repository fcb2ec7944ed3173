package io.flotilla.core.provisioning;

import java.util.Locale;

/** Where a provisioning job is: queued and running jobs are worked on; the others are finished. */
public enum JobState {
  QUEUED, RUNNING, COMPLETED, CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinished() {
    return this == COMPLETED || this == CANCELLED;
  }

  public static JobState fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
