package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad options are usage errors that name the option, before any broker is started. */
class MqttBenchmarkTest {
  @Test
  void refusesMoreSubscribersThanPublishers() {
    assertThat(run("--publishers", "2", "--subscribers", "3"))
        .contains("--subscribers must be between 1 and --publishers (2), was 3");
  }

  @Test
  void refusesAnUnknownBroker() {
    assertThat(run("--brokers", "mosquitto,emqx")).contains("'emqx' is not a broker; use flotilla, mosquitto, hivemq");
  }

  @Test
  void refusesAnUnknownMeasure() {
    assertThat(run("--measures", "qos2")).contains("'qos2' is not a measure; use connect, tls, qos0, qos1, idle");
  }

  @Test
  void refusesAPayloadTooSmallForItsFixedFields() {
    assertThat(run("--payload-bytes", "20")).contains("--payload-bytes must be between " + BenchPayload.MIN_BYTES);
  }

  @Test
  void refusesAHeapSizeTheJvmWouldNotTake() {
    assertThat(run("--broker-heap", "two gigs")).contains("--broker-heap must be a size such as 2g");
  }

  private static String run(String... args) {
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new MqttBenchmark()).setErr(new PrintWriter(err)).execute(args);
    assertThat(exitCode).as("exit code; stderr:%n%s", err).isEqualTo(2);
    return err.toString();
  }
}
