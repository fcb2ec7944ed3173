package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryDataSetTest {
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

  /** The devices' readings add up to exactly the points asked for, and every device sends at least one. */
  @ParameterizedTest
  @CsvSource({"100000000, 100000, 1", "10000000, 100000, 1", "200000, 1000, 1", "4000000, 2500, 3", "40000, 2, 1"})
  void readingsAddUpToThePointsAsked(long points, int devices, int days) {
    QueryDataSet data = new QueryDataSet(points, devices, days, START);
    long readings = 0;
    for (int device = 0; device < devices; device++) {
      assertThat(data.readingsOf(device)).as("readings of device %d", device).isPositive();
      readings += data.readingsOf(device);
    }
    assertThat(readings * QueryDataSet.KEYS.size()).isEqualTo(points);
  }

  /** The default data set: 100 dense devices, the other 99,900 every 6 minutes or so. */
  @Test
  void theDefaultDataSetIsADayOfAHundredThousandDevices() {
    QueryDataSet data = new QueryDataSet(100_000_000, 100_000, 1, START);
    assertThat(data.denseDevices()).isEqualTo(100);
    assertThat(data.sparseReadingsEach()).isEqualTo(241);
    assertThat(data.stepMs(1)).isBetween(355_000L, 360_000L);
    assertThat(data.describe()).startsWith("100,000,000 points: 100,000 devices × 4 numeric keys")
        .contains("100 devices (every 1,000th) report every 10 s (8,640 readings a day)")
        .contains("the other 99,900 about every 6.0 min (241–242 readings each)").contains("2026-03-01");
  }

  /** Every reading of every device falls inside the data set's days. */
  @Test
  void everyReadingFallsInsideTheSpan() {
    QueryDataSet data = new QueryDataSet(4_000_000, 2500, 3, START);
    for (int device = 0; device < data.devices(); device++) {
      assertThat(data.timeMs(device, 0)).isGreaterThanOrEqualTo(START.toEpochMilli());
      assertThat(data.timeMs(device, data.readingsOf(device) - 1)).isLessThan(data.end().toEpochMilli());
      assertThat(data.phaseMs(device)).isBetween(0L, data.stepMs(device) - 1);
    }
  }

  /** A dense device has 6 readings in each of the 1,440 minutes of the queried day, so every bucket is full. */
  @Test
  void aDenseDeviceFillsEveryMinuteOfTheLastDay() {
    QueryDataSet data = new QueryDataSet(4_000_000, 2500, 3, START);
    long day = data.lastDay().toEpochMilli();
    for (int minute = 0; minute < 1440; minute++) {
      long[] range = data.readingsIn(2000, day + minute * 60_000L, day + (minute + 1) * 60_000L);
      assertThat(range[1] - range[0]).as("readings in minute %d", minute).isEqualTo(6);
    }
  }

  /** The readings a range holds, found by arithmetic, are exactly those a walk over all readings finds. */
  @Test
  void readingsInFindsExactlyTheReadingsOfARange() {
    QueryDataSet data = new QueryDataSet(200_000, 1000, 1, START);
    long from = START.toEpochMilli() + 3_600_000;
    long to = from + 5_000_000;
    for (int device : new int[] {0, 1, 2, 999}) {
      long first = -1;
      long end = -1;
      for (long j = 0; j < data.readingsOf(device); j++) {
        long t = data.timeMs(device, j);
        if (t >= from && t < to) {
          first = first < 0 ? j : first;
          end = j + 1;
        }
      }
      assertThat(data.readingsIn(device, from, to)).as("device %d", device).containsExactly(first, end);
    }
    assertThat(data.readingsIn(1, START.toEpochMilli() - 10_000, START.toEpochMilli())).containsExactly(0L, 0L);
  }

  /** Values are multiples of ¼ within each key's range, so sums are exact in any order. */
  @Test
  void valuesAreExactQuartersWithinTheirRange() {
    double[][] ranges = {{14.75, 25.25}, {34.75, 65.25}, {989.75, 1015.25}, {59.75, 95.25}};
    for (int device = 0; device < 50; device++) {
      for (int key = 0; key < 4; key++) {
        for (long t = START.toEpochMilli(); t < START.toEpochMilli() + QueryDataSet.DAY_MS; t += 617_000) {
          double value = QueryDataSet.value(device, key, t);
          assertThat(value * 4).isEqualTo(Math.rint(value * 4));
          assertThat(value).isBetween(ranges[key][0], ranges[key][1]);
        }
      }
    }
  }

  /** Sizes that do not fit say which option to change. */
  @Test
  void refusesSizesThatDoNotFit() {
    assertThat(QueryDataSet.problem(1_000_002, 1000, 1)).hasValueSatisfying(m -> assertThat(m)
        .contains("--points must be a multiple of 4"));
    assertThat(QueryDataSet.problem(36_000, 1000, 1)).hasValueSatisfying(m -> assertThat(m)
        .contains("1,000 devices over 1 day(s) need between 38,556 and").contains("--points or --devices"));
    assertThat(QueryDataSet.problem(100_000_000, 100_000, 31)).hasValueSatisfying(m -> assertThat(m)
        .contains("--days must be between 1 and 30"));
    assertThat(QueryDataSet.problem(1_000, 1, 1)).hasValueSatisfying(m -> assertThat(m).contains("--devices"));
    assertThatThrownBy(() -> new QueryDataSet(200_000, 1000, 1, START.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("midnight");
  }
}
