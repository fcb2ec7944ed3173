package io.flotilla.device;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Schedulers for devices to share: timed work on a few platform threads, everything else (Paho's
 * network loops, command handlers, listeners) on virtual threads. Shut it down after closing the
 * devices that use it.
 */
public final class DeviceScheduler {
  private DeviceScheduler() {}

  /** A scheduler with {@code timerThreads} platform threads for timed work (1 or 2 is plenty). */
  public static ScheduledExecutorService create(int timerThreads) {
    return VirtualThreadScheduler.create(timerThreads);
  }
}
