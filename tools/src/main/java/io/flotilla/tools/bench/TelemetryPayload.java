package io.flotilla.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The readings {@code bench ingest} publishes: what a small environmental sensor sends, one JSON
 * object of four numeric values and the device's time, 117 bytes:
 * <pre>{"ts":"2025-06-01T12:00:00.123Z","temperature_c":21.53,"humidity_pct":40.21,"pressure_hpa":1013.25,"battery_v":3.712}</pre>
 * Every value changes from message to message (from the device's index and the message's
 * sequence number) and stays within the profile's {@link #SCHEMA}; each field has a fixed width,
 * so a message is the template with its digits overwritten.
 */
final class TelemetryPayload {
  /** Values per message: the data points each stored message adds. */
  static final int VALUES = 4;

  /** The profile's JSON Schema: the four values, each a number in its physical range, nothing else. */
  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{"
      + "\"temperature_c\":{\"type\":\"number\",\"minimum\":-40,\"maximum\":85},"
      + "\"humidity_pct\":{\"type\":\"number\",\"minimum\":0,\"maximum\":100},"
      + "\"pressure_hpa\":{\"type\":\"number\",\"minimum\":300,\"maximum\":1100},"
      + "\"battery_v\":{\"type\":\"number\",\"minimum\":0,\"maximum\":5}},"
      + "\"required\":[\"temperature_c\",\"humidity_pct\",\"pressure_hpa\",\"battery_v\"],"
      + "\"additionalProperties\":false}";

  private static final String TEMPLATE = "{\"ts\":\"2025-06-01T12:00:00.000Z\",\"temperature_c\":20.00,"
      + "\"humidity_pct\":40.00,\"pressure_hpa\":1000.00,\"battery_v\":3.500}";
  private static final byte[] TEMPLATE_BYTES = TEMPLATE.getBytes(StandardCharsets.US_ASCII);
  private static final int TIME_AT = TEMPLATE.indexOf("2025");
  private static final int MILLIS_AT = TIME_AT + "2025-06-01T12:00:00.".length();
  private static final int TEMPERATURE_AT = TEMPLATE.indexOf("20.00");
  private static final int HUMIDITY_AT = TEMPLATE.indexOf("40.00");
  private static final int PRESSURE_AT = TEMPLATE.indexOf("1000.00");
  private static final int BATTERY_AT = TEMPLATE.indexOf("3.500");
  private static final DateTimeFormatter TO_SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private final int device;
  /** The date and time to the second last written, so that it is formatted once per second only. */
  private long secondCached = Long.MIN_VALUE;
  private final byte[] secondText = new byte[19];

  /** @param device the device's index, which sets where its values start */
  TelemetryPayload(int device) {
    this.device = device;
  }

  static int size() {
    return TEMPLATE_BYTES.length;
  }

  /** The {@code sequence}-th message of this device, with its time {@code epochMillis}. Not thread safe. */
  ByteBuf encode(ByteBufAllocator allocator, long sequence, long epochMillis) {
    ByteBuf buffer = allocator.buffer(TEMPLATE_BYTES.length, TEMPLATE_BYTES.length).writeBytes(TEMPLATE_BYTES);
    write(buffer, sequence, epochMillis);
    return buffer;
  }

  /** {@link #encode} into a byte array, for tests and for reading. */
  byte[] bytes(long sequence, long epochMillis) {
    ByteBuf buffer = Unpooled.buffer(TEMPLATE_BYTES.length).writeBytes(TEMPLATE_BYTES);
    write(buffer, sequence, epochMillis);
    byte[] bytes = new byte[buffer.readableBytes()];
    buffer.readBytes(bytes);
    return bytes;
  }

  private void write(ByteBuf buffer, long sequence, long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    if (second != secondCached) {
      byte[] formatted = TO_SECOND.format(Instant.ofEpochSecond(second)).getBytes(StandardCharsets.US_ASCII);
      if (formatted.length != secondText.length) {
        throw new IllegalArgumentException("the time must be between the years 1000 and 9999, was " + epochMillis);
      }
      System.arraycopy(formatted, 0, secondText, 0, secondText.length);
      secondCached = second;
    }
    buffer.setBytes(TIME_AT, secondText);
    digits(buffer, MILLIS_AT, 3, Math.floorMod(epochMillis, 1000));
    long step = device * 7919L + sequence;
    // Hundredths of a degree from 20.00 to 29.99, of a percent from 40.00 to 59.99, of a hectopascal from
    // 1000.00 to 1039.99; thousandths of a volt from 3.500 to 4.199: fixed widths, inside the schema.
    decimal(buffer, TEMPERATURE_AT, 2000 + Math.floorMod(step * 37, 1000), 2, 2);
    decimal(buffer, HUMIDITY_AT, 4000 + Math.floorMod(step * 53, 2000), 2, 2);
    decimal(buffer, PRESSURE_AT, 100_000 + Math.floorMod(step * 11, 4000), 4, 2);
    decimal(buffer, BATTERY_AT, 3500 + Math.floorMod(step * 3, 700), 1, 3);
  }

  /** Writes {@code scaled} as {@code whole} digits, a point and {@code fraction} digits. */
  private static void decimal(ByteBuf buffer, int at, long scaled, int whole, int fraction) {
    long unit = 1;
    for (int i = 0; i < fraction; i++) {
      unit *= 10;
    }
    digits(buffer, at, whole, scaled / unit);
    digits(buffer, at + whole + 1, fraction, scaled % unit);
  }

  /** Writes {@code value} with leading zeros in exactly {@code width} digits. */
  private static void digits(ByteBuf buffer, int at, int width, long value) {
    long rest = value;
    for (int i = at + width - 1; i >= at; i--) {
      buffer.setByte(i, (int) ('0' + rest % 10));
      rest /= 10;
    }
  }

  @Override
  public String toString() {
    return TEMPLATE;
  }
}
