package io.flotilla.core.service;

import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.telemetry.LifecycleReport;
import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.core.telemetry.Tier;
import io.flotilla.core.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry lifecycle job: rolls raw points up into the 1-minute and 1-hour tiers, then deletes what
 * each profile's retention no longer keeps, and compacts now and then. It runs beside ingestion (the
 * store keeps its transactions short) and keeps its progress in the store, so a restart resumes it.
 */
public final class TelemetryLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(TelemetryLifecycle.class);
  /** Points arriving this late are still merged into their rollups; rollups stay this far behind. */
  static final Duration ROLLUP_DELAY = Duration.ofMinutes(1);
  private static final int COMPACT_EVERY_RUNS = 60;

  private final RegistryStore registry;
  private final TelemetryStore store;
  private final Clock clock;
  private final Function<DeviceProfile, RetentionPolicy> retention;
  private final AtomicReference<LifecycleReport> last = new AtomicReference<>();
  private int runs;

  /** @param retention what each profile keeps; the profiles are read from the registry on every run */
  public TelemetryLifecycle(RegistryStore registry, TelemetryStore store, Clock clock,
      Function<DeviceProfile, RetentionPolicy> retention) {
    this.registry = registry;
    this.store = store;
    this.clock = clock;
    this.retention = retention;
  }

  /** One pass; never throws, the report says what went wrong. */
  public synchronized LifecycleReport runOnce() {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    Map<Tier, Long> expired = new EnumMap<>(Tier.class);
    long rolled = 0;
    boolean compacted = false;
    String error = null;
    try {
      rolled = store.rollUp(started.minus(ROLLUP_DELAY));
      for (DeviceProfile profile : profiles()) {
        RetentionPolicy policy = retention.apply(profile);
        for (Tier tier : Tier.values()) {
          long n = store.expire(profile.tenant(), profile.id(), tier, started.minus(tier.keptBy(policy)));
          expired.merge(tier, n, Long::sum);
        }
      }
      if (++runs % COMPACT_EVERY_RUNS == 0) {
        store.compact();
        compacted = true;
      }
    } catch (RuntimeException e) {
      LOG.warn("The telemetry lifecycle run failed; the next run retries", e);
      error = e.toString();
    }
    LifecycleReport report = new LifecycleReport(started, Duration.ofNanos(System.nanoTime() - t0), rolled,
        store.rolledUpTo(), expired, compacted, error);
    last.set(report);
    if (rolled > 0 || expired.values().stream().anyMatch(n -> n > 0)) {
      LOG.debug("Telemetry lifecycle: {} points rolled up, expired {}", rolled, expired);
    }
    return report;
  }

  /** The last run's report, if there was one since start. */
  public Optional<LifecycleReport> lastRun() {
    return Optional.ofNullable(last.get());
  }

  private List<DeviceProfile> profiles() {
    return registry.read(tx -> {
      List<DeviceProfile> out = new ArrayList<>();
      for (Tenant t : tx.tenants().list()) {
        out.addAll(tx.profiles().list(t.id()));
      }
      return out;
    });
  }
}
