package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  @Test
  void rendersOneRowPerMeasurementWithUnitsAndADashForUntimedMeasures() {
    String table = ResultTable.markdown(List.of(
        new Measurement("SQLite 3.50.3", "bulk create", 12_345.4, "devices/s", Optional.empty()),
        new Measurement("SQLite 3.50.3", "get", 45_678, "reads/s",
            Optional.of(new Measurement.Percentiles(38.2, 1_234.5)))));
    assertThat(table.lines()).containsExactly(
        "| Engine | Measure | Throughput | p50 | p99 |",
        "|---|---|---:|---:|---:|",
        "| SQLite 3.50.3 | bulk create | 12,345 devices/s | – | – |",
        "| SQLite 3.50.3 | get | 45,678 reads/s | 38 µs | 1,235 µs |");
  }

  /** A measure slower than one operation per second must not show as 0. */
  @Test
  void slowRatesKeepTheirDecimals() {
    assertThat(ResultTable.rate(0.37)).isEqualTo("0.37");
    assertThat(ResultTable.rate(3.74)).isEqualTo("3.7");
    assertThat(ResultTable.rate(1_790.2)).isEqualTo("1,790");
    assertThat(ResultTable.micros(4.25)).isEqualTo("4.3 µs");
  }
}
