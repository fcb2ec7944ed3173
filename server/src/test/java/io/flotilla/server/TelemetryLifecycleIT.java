package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.access.Principal;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.RegistryServices;
import io.flotilla.core.service.TelemetryLifecycle;
import io.flotilla.core.service.TelemetryService;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.LifecycleReport;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.core.telemetry.TelemetryValue;
import io.flotilla.core.telemetry.Tier;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.store.sql.RegistryStores;
import io.flotilla.store.timeseries.TelemetryStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention tiers with a clock the test moves: raw points are rolled up, then expire after the raw
 * retention, and the aggregates are still answered from the rollups — also after a restart.
 */
class TelemetryLifecycleIT {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final RetentionPolicy POLICY = new RetentionPolicy(2, 10, 100);

  @TempDir
  Path dir;

  @Test
  void rollupsAppearAndServeQueriesOnceRawPointsExpire() {
    TokenExpiryIT.MovableClock clock = new TokenExpiryIT.MovableClock(T0);
    Principal admin = Principal.system(TenantId.DEFAULT);
    try (RegistryStore registry = RegistryStores.open("jdbc:sqlite:" + dir.resolve("registry.db"))) {
      RegistryServices services = RegistryServices.over(registry, clock);
      services.bootstrap().initialize(Optional.of(TestServers.ADMIN_TOKEN));
      services.profiles().create(admin, Json.object().put("id", "thermo").put("name", "Thermometer"));
      services.devices().create(admin, Json.object().put("id", "t1").put("profile", "thermo"));
      try (TelemetryStore store = TelemetryStores.open("jdbc:duckdb:" + dir.resolve("telemetry.duckdb"), dir)) {
        // 120 readings, one every 30 s from 10:00 to 10:59:30: temp = minute of the hour.
        List<TelemetryPoint> points = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
          Instant at = T0.plusSeconds(30L * i);
          points.add(new TelemetryPoint(TenantId.DEFAULT, "t1", "thermo", "temp", at, at,
              new TelemetryValue.Num(i / 2)));
        }
        store.append(points, List.of());
        TelemetryLifecycle lifecycle = new TelemetryLifecycle(registry, store, clock, p -> POLICY);
        TelemetryService telemetry = new TelemetryService(registry, store, clock, dir.resolve("exports"),
            (tenant, profile) -> POLICY);

        clock.advance(Duration.ofMinutes(62));
        LifecycleReport first = lifecycle.runOnce();
        assertThat(first.error()).isNull();
        assertThat(first.rolledUp()).isEqualTo(120);
        assertThat(first.expired().get(Tier.RAW)).isZero();

        clock.advance(Duration.ofDays(3)); // past the raw retention of 2 days
        LifecycleReport second = lifecycle.runOnce();
        assertThat(second.expired().get(Tier.RAW)).isEqualTo(120);
        assertThat(telemetry.raw(admin, "t1", Set.of(), T0, T0.plus(Duration.ofHours(1)), 1000, Optional.empty())
            .items()).isEmpty();

        List<TelemetryService.Series> hourly = telemetry.buckets(admin, "t1", Set.of("temp"), T0,
            T0.plus(Duration.ofHours(1)), Duration.ofHours(1), ZoneOffset.UTC,
            Set.of(Aggregate.AVG, Aggregate.MIN, Aggregate.MAX, Aggregate.COUNT, Aggregate.FIRST, Aggregate.LAST),
            TelemetryService.Fill.NONE);
        assertThat(hourly).singleElement().satisfies(s -> assertThat(s.buckets()).singleElement().satisfies(b -> {
          assertThat(b.start()).isEqualTo(T0);
          assertThat(b.values()).containsEntry(Aggregate.COUNT, 120.0).containsEntry(Aggregate.MIN, 0.0)
              .containsEntry(Aggregate.MAX, 59.0).containsEntry(Aggregate.AVG, 29.5)
              .containsEntry(Aggregate.FIRST, 0.0).containsEntry(Aggregate.LAST, 59.0);
        }));
        List<TelemetryService.Series> perMinute = telemetry.buckets(admin, "t1", Set.of("temp"), T0,
            T0.plus(Duration.ofMinutes(10)), Duration.ofMinutes(5), ZoneOffset.UTC, Set.of(Aggregate.SUM),
            TelemetryService.Fill.NONE);
        // 10:00-10:05: minutes 0..4, two readings each → 2 * (0+1+2+3+4) = 20.
        assertThat(perMinute.get(0).buckets().get(0).values()).containsEntry(Aggregate.SUM, 20.0);
      }
      // Rollup progress and rollups survive a restart of the store.
      try (TelemetryStore reopened = TelemetryStores.open("jdbc:duckdb:" + dir.resolve("telemetry.duckdb"), dir)) {
        assertThat(reopened.rolledUpTo()).isAfter(T0.plus(Duration.ofHours(1)));
        TelemetryService telemetry = new TelemetryService(registry, reopened, clock, dir.resolve("exports"),
            (tenant, profile) -> POLICY);
        assertThat(telemetry.buckets(admin, "t1", Set.of("temp"), T0, T0.plus(Duration.ofHours(1)),
            Duration.ofHours(1), ZoneOffset.UTC, Set.of(Aggregate.COUNT), TelemetryService.Fill.NONE))
            .singleElement().satisfies(s -> assertThat(s.buckets().get(0).values()).containsEntry(Aggregate.COUNT, 120.0));

        clock.advance(Duration.ofDays(11)); // past the minute retention: the hour tier still answers
        TelemetryLifecycle lifecycle = new TelemetryLifecycle(registry, reopened, clock, p -> POLICY);
        assertThat(lifecycle.runOnce().expired().get(Tier.MINUTE)).isEqualTo(60);
        assertThat(telemetry.buckets(admin, "t1", Set.of("temp"), T0, T0.plus(Duration.ofHours(1)),
            Duration.ofHours(1), ZoneOffset.UTC, Set.of(Aggregate.MAX), TelemetryService.Fill.NONE))
            .singleElement().satisfies(s -> assertThat(s.buckets().get(0).values()).containsEntry(Aggregate.MAX, 59.0));
      }
    }
  }
}
