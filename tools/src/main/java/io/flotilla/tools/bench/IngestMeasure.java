package io.flotilla.tools.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * One row of the ingest comparison: what was measured and how its figures read.
 *
 * @param label the row's name, such as {@code data points/s, full load}
 * @param unit how a figure is shown
 * @param storingOnly whether only a target that stores has this figure (heap and disk per stored
 *     point): for the peers the cell is a dash
 */
record IngestMeasure(String label, Unit unit, boolean storingOnly) {
  IngestMeasure {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(unit, "unit");
  }

  enum Unit {
    PER_SECOND, MICROS, BYTES;

    String format(double value) {
      return switch (this) {
        case PER_SECOND -> ResultTable.rate(value);
        case MICROS -> ResultTable.micros(value);
        case BYTES -> bytes(value);
      };
    }
  }

  static final IngestMeasure FULL_MESSAGES = new IngestMeasure("messages/s, full load", Unit.PER_SECOND, false);
  static final IngestMeasure FULL_POINTS = new IngestMeasure("data points/s, full load", Unit.PER_SECOND, false);
  static final IngestMeasure FULL_P50 = new IngestMeasure("publish→PUBACK p50, full load", Unit.MICROS, false);
  static final IngestMeasure FULL_P99 = new IngestMeasure("publish→PUBACK p99, full load", Unit.MICROS, false);
  static final IngestMeasure FULL_CPU = new IngestMeasure("server CPU per message, full load", Unit.MICROS, false);
  static final IngestMeasure HALF_POINTS = new IngestMeasure("data points/s, half load (paced)", Unit.PER_SECOND,
      false);
  static final IngestMeasure HALF_P50 = new IngestMeasure("publish→PUBACK p50, half load", Unit.MICROS, false);
  static final IngestMeasure HALF_P99 = new IngestMeasure("publish→PUBACK p99, half load", Unit.MICROS, false);
  static final IngestMeasure AIM_POINTS = new IngestMeasure("data points/s, paced at the aim's 50,000/s",
      Unit.PER_SECOND, false);
  static final IngestMeasure AIM_P50 = new IngestMeasure("publish→PUBACK p50, at 50,000 points/s", Unit.MICROS,
      false);
  static final IngestMeasure AIM_P99 = new IngestMeasure("publish→PUBACK p99, at 50,000 points/s", Unit.MICROS,
      false);
  static final IngestMeasure HEAP_PER_POINT = new IngestMeasure("heap growth per stored point, after full GC",
      Unit.BYTES, true);
  static final IngestMeasure DISK_PER_POINT = new IngestMeasure("disk per stored point", Unit.BYTES, true);

  /** Bytes with one decimal below 100 B (a few bytes per point), whole bytes below 1 KiB, else KiB with one decimal. */
  static String bytes(double value) {
    double size = Math.abs(value);
    return size < 100 ? String.format(Locale.ROOT, "%.1f B", value)
        : size < 1024 ? String.format(Locale.ROOT, "%.0f B", value)
            : String.format(Locale.ROOT, "%.1f KiB", value / 1024);
  }
}
