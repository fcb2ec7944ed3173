package io.flotilla.device;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A device process for {@link DeviceRestartIT}: publishes readings {@code {"seq":n}} for n in
 * [first, first + count) into a disk buffer, printing {@code accepted n} once each publish returned,
 * then {@code flushed} once the buffer is empty, and keeps running until killed.
 * Arguments: mqtt URI, device id, token, buffer folder, first seq, count.
 */
public final class BufferingDevice {
  private BufferingDevice() {}

  public static void main(String[] args) throws InterruptedException {
    long first = Long.parseLong(args[4]);
    long count = Long.parseLong(args[5]);
    FlotillaDevice device = FlotillaDevice.builder(args[0], args[1]).token(args[2])
        .diskBuffer(Path.of(args[3]), 16 * 1024 * 1024).backoff(Duration.ofMillis(100), Duration.ofMillis(500))
        .build();
    System.out.println("pending " + device.pendingTelemetry());
    device.start();
    for (long seq = first; seq < first + count; seq++) {
      device.publish("{\"seq\":" + seq + "}");
      System.out.println("accepted " + seq);
    }
    while (device.pendingTelemetry() > 0) {
      Thread.sleep(20);
    }
    System.out.println("flushed");
    Thread.sleep(Long.MAX_VALUE);
  }
}
