package io.flotilla.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.service.DeviceListRequest;
import io.flotilla.core.service.DeviceService;
import io.flotilla.core.service.RegistryServices;
import io.flotilla.core.tenant.TenantId;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The registry benchmark's work on one engine: load the sample fleet through the bulk import,
 * then read devices by id and walk two device lists, each from several threads for a while.
 */
final class RegistryWorkload {
  static final String BULK_CREATE = "bulk create (import, incl. 1 audit record per device)";
  static final String GET_BY_ID = "get device by id";
  static final String FILTERED_LIST = "list profile + site tag (1/60 of fleet), 100/page";
  static final String FULL_LIST = "list all by -createdAt, 100/page";
  private static final int PAGE_SIZE = 100;

  /**
   * How much to load and how long to measure.
   *
   * @param analyze whether to refresh the engine's planner statistics after each import call (not timed)
   */
  record Settings(int devices, int batch, int threads, Duration warmUp, Duration window, boolean analyze) {}

  private final Settings settings;
  private final PrintWriter progress;
  private final Principal principal = Principal.system(TenantId.DEFAULT);

  RegistryWorkload(Settings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs every measure on the registry, which must be empty. */
  List<Measurement> run(Engine engine, ScratchRegistry registry) {
    Run run = new Run(engine.wireName(), registry.label());
    RegistryServices services = RegistryServices.over(registry.store(), Clock.systemUTC());
    services.bootstrap().initialize(Optional.empty());
    SampleFleet.createProfiles(services.profiles(), principal);
    List<Measurement> results = new ArrayList<>();
    results.add(load(run, registry, services));
    DeviceService devices = services.devices();
    int size = settings.devices();
    results.add(measure(run, GET_BY_ID, "reads/s", () -> () ->
        devices.get(principal, SampleFleet.deviceId(ThreadLocalRandom.current().nextInt(size)))));
    DeviceFilter filter = SampleFleet.oneProfileAtOneSite();
    results.add(measure(run, FILTERED_LIST, "pages/s", () -> new PageWalker(devices, principal,
        new DeviceListRequest(filter, Optional.empty(), DeviceSort.BY_ID, PAGE_SIZE, Optional.empty()))));
    results.add(measure(run, FULL_LIST, "pages/s", () -> new PageWalker(devices, principal,
        new DeviceListRequest(DeviceFilter.ALL, Optional.empty(), DeviceSort.parse("-createdAt"), PAGE_SIZE,
            Optional.empty()))));
    return results;
  }

  /** The engine's name for progress lines, and its name and version for the results. */
  private record Run(String name, String label) {}

  private Measurement load(Run run, ScratchRegistry registry, RegistryServices services) {
    long importNanos = 0;
    for (int from = 0; from < settings.devices(); from += settings.batch()) {
      int to = Math.min(from + settings.batch(), settings.devices());
      List<ObjectNode> rows = SampleFleet.rows(from, to);
      long start = System.nanoTime();
      services.imports().importDevices(principal, rows, List.of());
      importNanos += System.nanoTime() - start;
      if (settings.analyze()) {
        registry.analyze();
      }
      progress.printf(Locale.ROOT, "%s: imported %,d / %,d devices (%,.0f devices/s so far)%n", run.name(), to,
          settings.devices(), to / (importNanos / 1e9));
    }
    long count = services.devices().count(principal, DeviceFilter.ALL, Optional.empty());
    if (count != settings.devices()) {
      throw new IllegalStateException("The registry holds " + count + " devices after importing "
          + settings.devices());
    }
    return new Measurement(run.label(), BULK_CREATE, settings.devices() / (importNanos / 1e9), "devices/s",
        Optional.empty());
  }

  private Measurement measure(Run run, String measure, String unit, Supplier<Runnable> operations) {
    progress.printf(Locale.ROOT, "%s: %s, %d threads, %d s after %d s of warm-up%n", run.name(), measure,
        settings.threads(), settings.window().toSeconds(), settings.warmUp().toSeconds());
    LoadLoop.Result result = LoadLoop.run(settings.threads(), settings.warmUp(), settings.window(), operations);
    if (result.operations() == 0) {
      throw new IllegalStateException("No operation of '" + measure + "' started in the measured window");
    }
    Measurement.Percentiles latency = Measurement.Percentiles.of(result.latencies());
    progress.printf(Locale.ROOT, "%s: %s %s, p50 %s, p99 %s%n", run.name(), ResultTable.rate(result.perSecond()), unit,
        ResultTable.micros(latency.p50Micros()), ResultTable.micros(latency.p99Micros()));
    return new Measurement(run.label(), measure, result.perSecond(), unit, Optional.of(latency));
  }
}
