package io.flotilla.device;

/**
 * A telemetry message was refused because the buffer holds its maximum of bytes already. Nothing was
 * stored; the caller decides whether to drop the reading, keep it elsewhere, or retry once the
 * buffer drains (it drains as the platform acknowledges what it holds).
 */
public final class BufferFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BufferFullException(long bytesHeld, long maxBytes, int messageBytes) {
    super("the telemetry buffer is full: it holds " + bytesHeld + " of its " + maxBytes + " bytes and cannot take "
        + messageBytes + " more until the platform acknowledges what it holds (raise bufferMaxBytes to keep more)");
  }
}
