package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryValue;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryPointBatchesTest {
  private static final QueryDataSet DATA = new QueryDataSet(400_000, 1200, 2, Instant.parse("2026-03-01T00:00:00Z"));

  /**
   * The batches hold every point of the data set once, near the asked size, in reading-time order across
   * batches, as a server receives them; each device gets exactly its readings, each with all four keys.
   */
  @Test
  void batchesHoldEveryPointOnceInReadingTimeOrder() {
    QueryPointBatches batches = new QueryPointBatches(DATA, 25_000);
    Map<String, Long> pointsOfDevice = new HashMap<>();
    Instant previous = Instant.MIN;
    long total = 0;
    int count = 0;
    while (batches.hasNext()) {
      List<TelemetryPoint> batch = batches.next();
      assertThat(batch.size()).as("batch %d", count).isBetween(20_000, 30_000);
      for (TelemetryPoint point : batch) {
        assertThat(point.time()).isAfterOrEqualTo(previous);
        previous = point.time();
        pointsOfDevice.merge(point.deviceId(), 1L, Long::sum);
      }
      total += batch.size();
      count++;
    }
    assertThat(total).isEqualTo(DATA.points());
    assertThat(count).isEqualTo(16);
    for (int device = 0; device < DATA.devices(); device++) {
      assertThat(pointsOfDevice.get(SampleFleet.deviceId(device))).isEqualTo(DATA.readingsOf(device) * 4);
    }
  }

  /** A reading is four points with one time, received a little later, with the data set's values. */
  @Test
  void aReadingIsFourPointsWithTheDataSetsValues() {
    List<TelemetryPoint> first = new QueryPointBatches(DATA, 25_000).next();
    List<TelemetryPoint> reading = first.subList(0, 4);
    TelemetryPoint point = reading.getFirst();
    int device = Integer.parseInt(point.deviceId().substring(4)) - 1;
    assertThat(reading).extracting(TelemetryPoint::key).containsExactlyElementsOf(QueryDataSet.KEYS);
    assertThat(reading).extracting(TelemetryPoint::time).containsOnly(point.time());
    assertThat(Duration.between(point.time(), point.receivedAt())).isBetween(Duration.ofMillis(50),
        Duration.ofSeconds(1));
    assertThat(point.tenant()).isEqualTo(QueryPointBatches.TENANT);
    assertThat(point.profileId()).isEqualTo(QueryPointBatches.PROFILE);
    for (int key = 0; key < 4; key++) {
      assertThat(reading.get(key).value())
          .isEqualTo(new TelemetryValue.Num(QueryDataSet.value(device, key, point.time().toEpochMilli())));
    }
  }
}
