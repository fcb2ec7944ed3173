package io.flotilla.device;

import java.util.List;

/**
 * Where telemetry waits between {@link FlotillaDevice#publish} and the platform's PUBACK. A message
 * leaves the buffer only when {@link #acknowledge} covers its sequence number, so whatever the buffer
 * accepted is sent, in order, until acknowledged or refused by the platform.
 *
 * <p>Policy when full: {@link #append} refuses the new message with {@link BufferFullException} and
 * never drops an older one, since an accepted message is a promise.
 */
public interface TelemetryBuffer extends AutoCloseable {

  /** Stores a payload and returns its sequence number (1, 2, 3, … in append order, across restarts). */
  long append(byte[] payload);

  /** Up to {@code max} messages with sequence numbers from {@code fromSeq} on, in order. */
  List<BufferedMessage> read(long fromSeq, int max);

  /** Removes every message up to and including {@code seq}. */
  void acknowledge(long seq);

  /** The sequence number of the oldest message not yet acknowledged, or {@link #nextSeq()} when empty. */
  long firstUnacknowledged();

  /** The sequence number the next {@link #append} will return. */
  long nextSeq();

  /** How many messages wait for acknowledgement. */
  default long pending() {
    return nextSeq() - firstUnacknowledged();
  }

  /** Bytes the buffer counts against its bound. */
  long bytes();

  @Override
  void close();
}
