package io.flotilla.tools.bench;

import java.util.Locale;

/** How a benchmark figure is shown in a results table. */
enum FigureUnit {
  PER_SECOND, MICROS, BYTES;

  String format(double value) {
    return switch (this) {
      case PER_SECOND -> ResultTable.rate(value);
      case MICROS -> ResultTable.micros(value);
      case BYTES -> bytes(value);
    };
  }

  /** Bytes with one decimal below 100 B (a few bytes per point), whole bytes below 1 KiB, else KiB with one decimal. */
  static String bytes(double value) {
    double size = Math.abs(value);
    return size < 100 ? String.format(Locale.ROOT, "%.1f B", value)
        : size < 1024 ? String.format(Locale.ROOT, "%.0f B", value)
            : String.format(Locale.ROOT, "%.1f KiB", value / 1024);
  }
}
