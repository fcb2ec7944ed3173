package io.flotilla.tools.simulate;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/** Counters the simulated devices share; read once a second for the progress line. */
public final class SimulationStats {
  final LongAdder sent = new LongAdder();
  final LongAdder acknowledged = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder bufferFull = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder commands = new LongAdder();
  final LongAdder twinUpdates = new LongAdder();

  /** Telemetry messages the devices published (accepted into their buffers). */
  public long sent() {
    return sent.sum();
  }

  /** Telemetry messages the server acknowledged as stored. */
  public long acknowledged() {
    return acknowledged.sum();
  }

  /** Telemetry messages the server refused for good (0x99). */
  public long refused() {
    return refused.sum();
  }

  /** Commands the devices answered. */
  public long commands() {
    return commands.sum();
  }

  /** Twin deltas the devices applied and reported back. */
  public long twinUpdates() {
    return twinUpdates.sum();
  }

  /** Lost connections, failed connection attempts and full buffers. */
  public long errors() {
    return errors.sum() + bufferFull.sum();
  }

  /** One progress line: elapsed seconds, connected devices, and every counter with its rate since the last line. */
  String line(long elapsedSeconds, int connected, int devices, long buffered, long sentBefore, long ackedBefore,
      double seconds) {
    long s = sent();
    long a = acknowledged();
    return String.format(Locale.ROOT,
        "[%5ds] connected %d/%d  sent %,d (%,.0f/s)  acknowledged %,d (%,.0f/s)  refused %,d  buffered %,d  "
            + "commands %,d  twin updates %,d  errors %,d",
        elapsedSeconds, connected, devices, s, (s - sentBefore) / seconds, a, (a - ackedBefore) / seconds, refused(),
        buffered, commands(), twinUpdates(), errors());
  }
}
