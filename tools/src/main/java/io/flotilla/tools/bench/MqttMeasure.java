package io.flotilla.tools.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * One row of the MQTT comparison: what was measured and how its figures read.
 *
 * @param label the row's name, such as {@code QoS 1 msgs/s}
 * @param unit how a figure is shown, and whether more is better
 * @param jvmOnly whether only a JVM broker has this figure (heap): for others the cell is a dash
 */
record MqttMeasure(String label, FigureUnit unit, boolean jvmOnly) {
  MqttMeasure {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(unit, "unit");
  }

  static final MqttMeasure CONNECTS_PLAIN = new MqttMeasure("connects/s, plain TCP", FigureUnit.PER_SECOND, false);
  static final MqttMeasure CONNECT_CPU = new MqttMeasure("broker CPU per plain connect", FigureUnit.MICROS, false);
  static final MqttMeasure CONNECTS_TLS = new MqttMeasure("connects/s, TLS (full handshake)", FigureUnit.PER_SECOND, false);
  static final MqttMeasure TLS_CONNECT_CPU = new MqttMeasure("broker CPU per TLS connect", FigureUnit.MICROS, false);
  static final MqttMeasure QOS0_RATE = new MqttMeasure("QoS 0 msgs/s", FigureUnit.PER_SECOND, false);
  static final MqttMeasure QOS0_P50 = new MqttMeasure("QoS 0 latency p50", FigureUnit.MICROS, false);
  static final MqttMeasure QOS0_P99 = new MqttMeasure("QoS 0 latency p99", FigureUnit.MICROS, false);
  static final MqttMeasure QOS0_CPU = new MqttMeasure("broker CPU per QoS 0 message", FigureUnit.MICROS, false);
  static final MqttMeasure QOS1_RATE = new MqttMeasure("QoS 1 msgs/s", FigureUnit.PER_SECOND, false);
  static final MqttMeasure QOS1_P50 = new MqttMeasure("QoS 1 latency p50", FigureUnit.MICROS, false);
  static final MqttMeasure QOS1_P99 = new MqttMeasure("QoS 1 latency p99", FigureUnit.MICROS, false);
  static final MqttMeasure QOS1_ACK_P50 = new MqttMeasure("QoS 1 publish→PUBACK p50", FigureUnit.MICROS, false);
  static final MqttMeasure QOS1_ACK_P99 = new MqttMeasure("QoS 1 publish→PUBACK p99", FigureUnit.MICROS, false);
  static final MqttMeasure QOS1_CPU = new MqttMeasure("broker CPU per QoS 1 message", FigureUnit.MICROS, false);

  static MqttMeasure heapPerIdle(int connections) {
    return new MqttMeasure(String.format(Locale.ROOT, "heap per idle connection, %,d", connections), FigureUnit.BYTES, true);
  }

  static MqttMeasure residentPerIdle(int connections) {
    return new MqttMeasure(String.format(Locale.ROOT, "RSS per idle connection, %,d", connections), FigureUnit.BYTES,
        false);
  }

}
