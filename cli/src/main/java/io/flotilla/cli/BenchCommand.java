package io.flotilla.cli;

import io.flotilla.tools.bench.ControlBenchmark;
import io.flotilla.tools.bench.IdentityBenchmark;
import io.flotilla.tools.bench.IngestBenchmark;
import io.flotilla.tools.bench.MqttBenchmark;
import io.flotilla.tools.bench.QueryBenchmark;
import io.flotilla.tools.bench.RegistryBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla bench}: the benchmarks, one subcommand each. A benchmark is a picocli
 * {@code @Command} class in the tools module (e.g.
 * {@code io.flotilla.tools.bench.RegistryBenchmark}, named {@code registry}) that implements
 * {@code Callable<Integer>}; adding one is adding its class to {@code subcommands} below.
 */
@Command(
    name = "bench",
    description = "Measures Flotilla on this machine; choose a benchmark.",
    subcommands = {RegistryBenchmark.class, MqttBenchmark.class, IngestBenchmark.class, QueryBenchmark.class,
        IdentityBenchmark.class, ControlBenchmark.class})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** Runs only when no benchmark was named: explains, and fails as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("flotilla: choose a benchmark");
    spec.commandLine().usage(spec.commandLine().getErr());
    return Main.USER_ERROR;
  }
}
