package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestBenchmarkTest {
  /** "all" engines and the default peers give every target in table order; "none" leaves the peers out. */
  @Test
  void choosesTargetsInTableOrder() {
    assertThat(IngestTarget.chosen(List.of("all"), List.of("hivemq", "mosquitto"))).containsExactly(
        IngestTarget.DUCKDB, IngestTarget.POSTGRESQL, IngestTarget.MOSQUITTO, IngestTarget.HIVEMQ);
    assertThat(IngestTarget.chosen(List.of("DuckDB"), List.of("none"))).containsExactly(IngestTarget.DUCKDB);
    assertThat(IngestTarget.chosen(List.of("postgresql", "duckdb"), List.of("mosquitto")))
        .containsExactly(IngestTarget.DUCKDB, IngestTarget.POSTGRESQL, IngestTarget.MOSQUITTO);
  }

  /** A peer is not an engine, nor the other way round; the message names the option and the choices. */
  @Test
  void refusesAPeerAsEngineAndAnEngineAsPeer() {
    assertThatThrownBy(() -> IngestTarget.chosen(List.of("mosquitto"), List.of()))
        .hasMessage("--engine: 'mosquitto' is not one of duckdb, postgresql, all");
    assertThatThrownBy(() -> IngestTarget.chosen(List.of("all"), List.of("duckdb")))
        .hasMessage("--peers: 'duckdb' is not one of mosquitto, hivemq, none");
  }

  /** A bad option is a usage error that names it, before any server starts. */
  @Test
  void refusesAWindowBeyondThePacketIdentifiers() {
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new IngestBenchmark()).setErr(new PrintWriter(err)).setOut(new PrintWriter(
        new StringWriter())).execute("--window", "70000");
    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("--window must be between 1 and 65535, was 70000");
  }

  /** Sums every sample of a metric whatever its labels, and nothing of metrics whose names only start alike. */
  @Test
  void readsACounterFromPrometheusText() {
    String text = """
        # HELP flotilla_telemetry_rejected_total Rejected payloads
        # TYPE flotilla_telemetry_rejected_total counter
        flotilla_telemetry_rejected_total{profile="a",tenant="default",transport="mqtt"} 3.0
        flotilla_telemetry_rejected_total{profile="b",tenant="default",transport="http"} 2.0
        flotilla_telemetry_points_stored_total 1.2345678E7
        flotilla_telemetry_points_stored_total_extra 99.0
        """;
    assertThat(FlotillaAdminApi.metricSum(text, "flotilla_telemetry_rejected_total")).isEqualTo(5.0);
    assertThat(FlotillaAdminApi.metricSum(text, "flotilla_telemetry_points_stored_total")).isEqualTo(12_345_678.0);
    assertThat(FlotillaAdminApi.metricSum(text, "flotilla_telemetry_overloaded_total")).isZero();
  }

  /** Device tokens and database passwords stay out of what a log or an exception might print. */
  @Test
  void secretsAreNotPrinted() {
    assertThat(new MqttLogin("bench-00001", "fdt_secret").toString()).contains("bench-00001")
        .doesNotContain("fdt_secret");
    assertThat(FlotillaOptions.devicesOnly(Map.of("FLOTILLA_TS_URL", "jdbc:postgresql://h/db?password=hunter2"),
        "warn").toString()).contains("FLOTILLA_TS_URL").doesNotContain("hunter2");
  }

  /** Device ids sort in the order they were made and are valid device ids. */
  @Test
  void namesDevicesInOrder() {
    assertThat(IngestWorkload.deviceIds(3)).containsExactly("bench-00000", "bench-00001", "bench-00002");
  }
}
