package io.flotilla.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The messages {@code bench mqtt} publishes: a small JSON telemetry document, like a device would
 * send, whose first fields are fixed-width numbers (right-aligned, spaces before them, since JSON
 * allows no leading zeros), so that the publisher writes and the subscriber reads them at known
 * offsets without a JSON parser. A document of 120 bytes reads
 * <pre>{"ts":     12345678901,"pub":    3,"seq":        42,"device":"bench-00003","temp":21.5,…}</pre>
 * where {@code ts} is the publish time in nanoseconds on the generator's clock, {@code pub} the
 * publisher and {@code seq} its message number. Further fields are added while they fit; spaces
 * before the closing brace make up the exact size.
 */
final class BenchPayload {
  /** The smallest payload: the three fixed fields and the closing brace. */
  static final int MIN_BYTES = 55;

  private static final int TS_AT = 6;
  private static final int TS_DIGITS = 19;
  private static final int PUB_AT = 32;
  private static final int PUB_DIGITS = 5;
  private static final int SEQ_AT = 44;
  private static final int SEQ_DIGITS = 10;
  private static final byte[] PREFIX = "{\"ts\":".getBytes(StandardCharsets.US_ASCII);
  private static final String[] EXTRA_FIELDS = {",\"temp\":21.5", ",\"hum\":48.2", ",\"bat\":3.71", ",\"rssi\":-67"};

  /** The largest publisher index the fixed field holds. */
  static final int MAX_PUBLISHER = 99_999;

  private final byte[] template;

  private BenchPayload(byte[] template) {
    this.template = template;
  }

  /** The payload of one publisher's messages, {@code size} bytes each. */
  static BenchPayload of(int publisher, int size) {
    if (size < MIN_BYTES) {
      throw new IllegalArgumentException("a payload needs at least " + MIN_BYTES + " bytes, was " + size);
    }
    if (publisher < 0 || publisher > MAX_PUBLISHER) {
      throw new IllegalArgumentException("publisher must be 0.." + MAX_PUBLISHER + ", was " + publisher);
    }
    StringBuilder json = new StringBuilder(size).append("{\"ts\":").append(" ".repeat(TS_DIGITS - 1)).append('0')
        .append(",\"pub\":").append(" ".repeat(PUB_DIGITS - 1)).append('0')
        .append(",\"seq\":").append(" ".repeat(SEQ_DIGITS - 1)).append('0');
    String device = String.format(",\"device\":\"bench-%05d\"", publisher);
    for (String field : prepend(device)) {
      if (json.length() + field.length() + 1 <= size) {
        json.append(field);
      }
    }
    json.append(" ".repeat(size - json.length() - 1)).append('}');
    byte[] template = json.toString().getBytes(StandardCharsets.US_ASCII);
    writeDigits(template, PUB_AT, PUB_DIGITS, publisher);
    return new BenchPayload(template);
  }

  private static String[] prepend(String first) {
    String[] all = new String[EXTRA_FIELDS.length + 1];
    all[0] = first;
    System.arraycopy(EXTRA_FIELDS, 0, all, 1, EXTRA_FIELDS.length);
    return all;
  }

  int size() {
    return template.length;
  }

  /** A new buffer holding this publisher's message number {@code sequence}, published at {@code nanos}. */
  ByteBuf encode(ByteBufAllocator allocator, long sequence, long nanos) {
    ByteBuf buffer = allocator.buffer(template.length, template.length).writeBytes(template);
    setDigits(buffer, TS_AT, TS_DIGITS, nanos);
    setDigits(buffer, SEQ_AT, SEQ_DIGITS, sequence);
    return buffer;
  }

  /** Whether {@code payload}, from its reader index on, is one of ours. */
  static boolean isBenchPayload(ByteBuf payload) {
    if (payload.readableBytes() < MIN_BYTES) {
      return false;
    }
    int at = payload.readerIndex();
    for (int i = 0; i < PREFIX.length; i++) {
      if (payload.getByte(at + i) != PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  /** The publish time written into a payload that {@link #isBenchPayload} accepted. */
  static long publishedNanos(ByteBuf payload) {
    return readDigits(payload, TS_AT, TS_DIGITS);
  }

  static int publisher(ByteBuf payload) {
    return (int) readDigits(payload, PUB_AT, PUB_DIGITS);
  }

  static long sequence(ByteBuf payload) {
    return readDigits(payload, SEQ_AT, SEQ_DIGITS);
  }

  /** Writes {@code value} right-aligned in {@code width} characters, spaces before it: JSON allows no leading zeros. */
  private static void setDigits(ByteBuf buffer, int offset, int width, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("only non-negative values fit, was " + value);
    }
    long rest = value;
    for (int i = offset + width - 1; i >= offset; i--) {
      buffer.setByte(i, i < offset + width - 1 && rest == 0 ? ' ' : (int) ('0' + rest % 10));
      rest /= 10;
    }
  }

  private static void writeDigits(byte[] bytes, int offset, int width, long value) {
    long rest = value;
    for (int i = offset + width - 1; i >= offset; i--) {
      bytes[i] = (byte) (i < offset + width - 1 && rest == 0 ? ' ' : '0' + rest % 10);
      rest /= 10;
    }
  }

  private static long readDigits(ByteBuf payload, int offset, int width) {
    int at = payload.readerIndex() + offset;
    long value = 0;
    for (int i = 0; i < width; i++) {
      byte b = payload.getByte(at + i);
      if (b != ' ') {
        value = value * 10 + (b - '0');
      }
    }
    return value;
  }

  @Override
  public String toString() {
    return new String(template, StandardCharsets.US_ASCII);
  }
}
