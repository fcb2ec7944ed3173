package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryValue;
import io.flotilla.core.tenant.TenantId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one journal record: a group of points and rejections as the bus handed them to the store.
 * Strings repeat a lot within a group (tenant, device, profile, keys), so each distinct one is written once and
 * later referred to by its index. Instants keep nanoseconds, so a replayed point equals the original.
 */
final class JournalRecords {
  private static final byte VERSION = 1;

  private JournalRecords() {
  }

  /** A decoded record. */
  record Group(List<TelemetryPoint> points, List<RejectedTelemetry> rejections) {
  }

  static byte[] encode(List<TelemetryPoint> points, List<RejectedTelemetry> rejections) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + points.size() * 40);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Strings strings = new Strings(out);
      out.writeByte(VERSION);
      out.writeInt(points.size());
      for (TelemetryPoint p : points) {
        strings.write(p.tenant().value());
        strings.write(p.deviceId());
        strings.write(p.profileId());
        strings.write(p.key());
        writeInstant(out, p.time());
        writeInstant(out, p.receivedAt());
        switch (p.value()) {
          case TelemetryValue.Num n -> {
            out.writeByte(0);
            out.writeDouble(n.value());
          }
          case TelemetryValue.Bool b -> {
            out.writeByte(1);
            out.writeBoolean(b.value());
          }
          case TelemetryValue.Text t -> {
            out.writeByte(2);
            writeText(out, t.value());
          }
          case TelemetryValue.Json j -> {
            out.writeByte(3);
            writeText(out, j.json());
          }
        }
      }
      out.writeInt(rejections.size());
      for (RejectedTelemetry r : rejections) {
        strings.write(r.tenant().value());
        strings.write(r.deviceId());
        strings.write(r.profileId());
        strings.write(r.transport());
        writeInstant(out, r.receivedAt());
        writeText(out, r.reason());
        writeText(out, r.payload());
        out.writeInt(r.payloadBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  static Group decode(byte[] record) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalStateException("a telemetry journal record of version " + version + ", not " + VERSION);
      }
      List<String> strings = new ArrayList<>();
      int pointCount = in.readInt();
      List<TelemetryPoint> points = new ArrayList<>(pointCount);
      for (int i = 0; i < pointCount; i++) {
        TenantId tenant = new TenantId(read(in, strings));
        String device = read(in, strings);
        String profile = read(in, strings);
        String key = read(in, strings);
        Instant time = readInstant(in);
        Instant received = readInstant(in);
        TelemetryValue value = switch (in.readByte()) {
          case 0 -> new TelemetryValue.Num(in.readDouble());
          case 1 -> new TelemetryValue.Bool(in.readBoolean());
          case 2 -> new TelemetryValue.Text(readText(in));
          case 3 -> new TelemetryValue.Json(readText(in));
          default -> throw new IllegalStateException("an unknown value kind in a telemetry journal record");
        };
        points.add(new TelemetryPoint(tenant, device, profile, key, time, received, value));
      }
      int rejectionCount = in.readInt();
      List<RejectedTelemetry> rejections = new ArrayList<>(rejectionCount);
      for (int i = 0; i < rejectionCount; i++) {
        TenantId tenant = new TenantId(read(in, strings));
        String device = read(in, strings);
        String profile = read(in, strings);
        String transport = read(in, strings);
        Instant received = readInstant(in);
        String reason = readText(in);
        String payload = readText(in);
        rejections.add(new RejectedTelemetry(0, tenant, device, profile, transport, received, reason, payload,
            in.readInt()));
      }
      return new Group(points, rejections);
    } catch (IOException e) {
      throw new IllegalStateException("a telemetry journal record is cut short: " + e.getMessage(), e);
    }
  }

  private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
    out.writeLong(instant.getEpochSecond());
    out.writeInt(instant.getNano());
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readText(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > IngestJournal.MAX_RECORD_BYTES) {
      throw new IOException("a text of " + length + " bytes");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** A string seen before in this record is its index (≥ 0); a new one is −1 followed by its text. */
  private static String read(DataInputStream in, List<String> strings) throws IOException {
    int index = in.readInt();
    if (index == -1) {
      String text = readText(in);
      strings.add(text);
      return text;
    }
    if (index < 0 || index >= strings.size()) {
      throw new IOException("a string index " + index + " of " + strings.size());
    }
    return strings.get(index);
  }

  /** The strings written so far in one record, with their indexes. */
  private static final class Strings {
    private final DataOutputStream out;
    private final Map<String, Integer> indexes = new HashMap<>();

    Strings(DataOutputStream out) {
      this.out = out;
    }

    void write(String text) throws IOException {
      Integer index = indexes.get(text);
      if (index != null) {
        out.writeInt(index);
      } else {
        indexes.put(text, indexes.size());
        out.writeInt(-1);
        writeText(out, text);
      }
    }
  }
}
