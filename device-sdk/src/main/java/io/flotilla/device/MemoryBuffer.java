package io.flotilla.device;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TelemetryBuffer} in memory, bounded by bytes: it keeps messages through network cuts but
 * not through a restart of the process. For simulators and devices that would rather lose readings
 * than write to flash.
 */
public final class MemoryBuffer implements TelemetryBuffer {
  /** Counted per message besides its payload, like the disk buffer's record header. */
  static final int OVERHEAD = 16;

  private final long maxBytes;
  private final ArrayDeque<BufferedMessage> messages = new ArrayDeque<>();
  private long nextSeq = 1;
  private long bytes;

  /** A buffer holding at most {@code maxBytes} (payloads plus 16 bytes each). */
  public MemoryBuffer(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  @Override
  public synchronized long append(byte[] payload) {
    int size = payload.length + OVERHEAD;
    if (bytes + size > maxBytes) {
      throw new BufferFullException(bytes, maxBytes, size);
    }
    long seq = nextSeq++;
    messages.addLast(new BufferedMessage(seq, payload.clone()));
    bytes += size;
    return seq;
  }

  @Override
  public synchronized List<BufferedMessage> read(long fromSeq, int max) {
    List<BufferedMessage> out = new ArrayList<>(Math.min(max, messages.size()));
    for (BufferedMessage m : messages) {
      if (out.size() >= max) {
        break;
      }
      if (m.seq() >= fromSeq) {
        out.add(m);
      }
    }
    return out;
  }

  @Override
  public synchronized void acknowledge(long seq) {
    while (!messages.isEmpty() && messages.peekFirst().seq() <= seq) {
      bytes -= messages.removeFirst().payload().length + OVERHEAD;
    }
  }

  @Override
  public synchronized long firstUnacknowledged() {
    return messages.isEmpty() ? nextSeq : messages.peekFirst().seq();
  }

  @Override
  public synchronized long nextSeq() {
    return nextSeq;
  }

  @Override
  public synchronized long bytes() {
    return bytes;
  }

  @Override
  public void close() {}
}
