package io.flotilla.tools.bench;

import java.util.Objects;

/**
 * One row of the ingest comparison: what was measured and how its figures read.
 *
 * @param label the row's name, such as {@code data points/s, full load}
 * @param unit how a figure is shown
 * @param storingOnly whether only a target that stores has this figure (heap and disk per stored
 *     point): for the peers the cell is a dash
 */
record IngestMeasure(String label, FigureUnit unit, boolean storingOnly) {
  IngestMeasure {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(unit, "unit");
  }

  static final IngestMeasure FULL_MESSAGES = new IngestMeasure("messages/s, full load", FigureUnit.PER_SECOND, false);
  static final IngestMeasure FULL_POINTS = new IngestMeasure("data points/s, full load", FigureUnit.PER_SECOND, false);
  static final IngestMeasure FULL_P50 = new IngestMeasure("publish→PUBACK p50, full load", FigureUnit.MICROS, false);
  static final IngestMeasure FULL_P99 = new IngestMeasure("publish→PUBACK p99, full load", FigureUnit.MICROS, false);
  static final IngestMeasure FULL_CPU = new IngestMeasure("server CPU per message, full load", FigureUnit.MICROS, false);
  static final IngestMeasure HALF_POINTS = new IngestMeasure("data points/s, half load (paced)", FigureUnit.PER_SECOND,
      false);
  static final IngestMeasure HALF_P50 = new IngestMeasure("publish→PUBACK p50, half load", FigureUnit.MICROS, false);
  static final IngestMeasure HALF_P99 = new IngestMeasure("publish→PUBACK p99, half load", FigureUnit.MICROS, false);
  static final IngestMeasure AIM_POINTS = new IngestMeasure("data points/s, paced at the aim's 50,000/s",
      FigureUnit.PER_SECOND, false);
  static final IngestMeasure AIM_P50 = new IngestMeasure("publish→PUBACK p50, at 50,000 points/s", FigureUnit.MICROS,
      false);
  static final IngestMeasure AIM_P99 = new IngestMeasure("publish→PUBACK p99, at 50,000 points/s", FigureUnit.MICROS,
      false);
  static final IngestMeasure HEAP_PER_POINT = new IngestMeasure("heap growth per stored point, after full GC",
      FigureUnit.BYTES, true);
  static final IngestMeasure DISK_PER_POINT = new IngestMeasure("disk per stored point", FigureUnit.BYTES, true);
}
