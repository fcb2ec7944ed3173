package io.flotilla.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.core.paging.Page;
import io.flotilla.core.telemetry.RawQuery;
import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.telemetry.TelemetryBatch;
import io.flotilla.core.telemetry.TelemetryBusException;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.core.telemetry.TelemetryValue;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.store.timeseries.TelemetryStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process bus over a real DuckDB store. */
class InProcessTelemetryBusTest {

  private static final TenantId TENANT = new TenantId("acme");
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir
  Path dir;
  private TelemetryStore store;
  private SimpleMeterRegistry meters;

  @BeforeEach
  void open() {
    store = TelemetryStores.open("jdbc:duckdb:" + dir.resolve("t.duckdb"), dir);
    meters = new SimpleMeterRegistry();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static TelemetryBatch batch(String device, int seq) {
    Instant at = T0.plusMillis(seq);
    return TelemetryBatch.of(TENANT, device, List.of(
        new TelemetryPoint(TENANT, device, "p", "seq", at, at, new TelemetryValue.Num(seq)),
        new TelemetryPoint(TENANT, device, "p", "on", at, at, new TelemetryValue.Bool(seq % 2 == 0))));
  }

  private List<TelemetryPoint> stored(String device) {
    List<TelemetryPoint> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<TelemetryPoint> page = store.raw(new RawQuery(TENANT, device, Set.of("seq"), T0,
          T0.plus(Duration.ofDays(1)), 1000, cursor));
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return all;
  }

  @Test
  void everyBatchIsDurableWhenItsFutureCompletesAndOneDevicesFuturesCompleteInOrder() throws Exception {
    try (InProcessTelemetryBus bus = new InProcessTelemetryBus(store, BusSettings.defaults().withPartitions(2), meters)) {
      List<Integer> completionOrder = new CopyOnWriteArrayList<>();
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        int seq = i;
        CompletableFuture<Void> f = bus.submit(batch("d-" + (i % 4), i));
        if (i % 4 == 0) {
          f.thenRun(() -> completionOrder.add(seq));
        }
        futures.add(f);
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      // Durable when completed: every point is readable from the store now.
      for (int d = 0; d < 4; d++) {
        assertThat(stored("d-" + d)).hasSize(500);
      }
      await().atMost(5, TimeUnit.SECONDS).until(() -> completionOrder.size() == 500);
      assertThat(completionOrder).isSorted();
      // Group commit: far fewer commits than batches.
      assertThat(meters.get("flotilla.telemetry.batch.points").summary().count()).isLessThan(2_000);
      assertThat(meters.get("flotilla.telemetry.points.stored").counter().count()).isEqualTo(4_000.0);
      assertThat(bus.queuedPoints()).isZero();
    }
  }

  @Test
  void rejectionsTravelTheSameWayIntoTheDeadLetterStore() throws Exception {
    try (InProcessTelemetryBus bus = new InProcessTelemetryBus(store, BusSettings.defaults(), meters)) {
      bus.submit(TelemetryBatch.rejected(new RejectedTelemetry(0, TENANT, "d-1", "p", "mqtt", T0, "/t: must be <= 5",
          "{\"t\":9}", 7))).get(10, TimeUnit.SECONDS);
      assertThat(store.rejected(TENANT, Optional.of("d-1"), 10, Optional.empty()).items())
          .singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("/t: must be <= 5"));
    }
  }

  @Test
  void aBusOverItsHardLimitRefusesAndTellsProducersWhenItHasRoomAgain() throws Exception {
    // A store that cannot write (closed) keeps batches queued while the writer retries.
    store.close();
    BusSettings settings = BusSettings.defaults().withPartitions(1).withLimits(4, 6).withRetryFor(Duration.ofMillis(600))
        .withBatching(1, Duration.ZERO);
    try (InProcessTelemetryBus bus = new InProcessTelemetryBus(store, settings, meters)) {
      List<CompletableFuture<Void>> taken = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        taken.add(bus.submit(batch("d", i))); // 2 points each: 6 queued at most
      }
      assertThat(bus.saturated()).isTrue();
      CompletableFuture<Void> refused = bus.submit(batch("d", 99));
      assertThat(refused).isCompletedExceptionally();
      assertThat(kind(refused)).isEqualTo(TelemetryBusException.Kind.OVERLOADED);
      AtomicBoolean resumed = new AtomicBoolean();
      bus.whenUnsaturated(() -> resumed.set(true));
      assertThat(resumed).isFalse();
      // The store keeps failing: after retrying for retryFor, the batches fail as STORE_FAILED, never as success.
      for (CompletableFuture<Void> f : taken) {
        assertThat(kind(f)).isEqualTo(TelemetryBusException.Kind.STORE_FAILED);
      }
      await().atMost(5, TimeUnit.SECONDS).untilTrue(resumed);
      assertThat(bus.saturated()).isFalse();
      assertThat(meters.get("flotilla.telemetry.store.failures").counter().count()).isGreaterThan(1.0);
    }
  }

  @Test
  void closingStoresWhatWasQueuedThenRefusesNewBatches() throws Exception {
    InProcessTelemetryBus bus = new InProcessTelemetryBus(store, BusSettings.defaults().withBatching(10,
        Duration.ofMillis(50)), meters);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      futures.add(bus.submit(batch("d", i)));
    }
    bus.close();
    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(stored("d")).hasSize(100);
    assertThat(kind(bus.submit(batch("d", 100)))).isEqualTo(TelemetryBusException.Kind.CLOSED);
  }

  private static TelemetryBusException.Kind kind(CompletableFuture<Void> f) throws InterruptedException {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the batch was stored");
    } catch (ExecutionException e) {
      return ((TelemetryBusException) e.getCause()).kind();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the batch neither failed nor succeeded", e);
    }
  }
}
