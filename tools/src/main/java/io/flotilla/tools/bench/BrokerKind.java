package io.flotilla.tools.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The MQTT brokers {@code flotilla bench mqtt} compares, in the order of the table's columns. */
enum BrokerKind {
  FLOTILLA("Flotilla"), MOSQUITTO("Mosquitto"), HIVEMQ("HiveMQ CE");

  private final String displayName;

  BrokerKind(String displayName) {
    this.displayName = displayName;
  }

  /** The name the command line uses: {@code flotilla}, {@code mosquitto}, {@code hivemq}. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The name the results show. */
  String displayName() {
    return displayName;
  }

  /** Whether the broker runs in a JVM, so that its heap can be measured after a full GC. */
  boolean isJvm() {
    return this != MOSQUITTO;
  }

  /** Reads a broker's wire name, in any case. */
  static final class Converter implements ITypeConverter<BrokerKind> {
    @Override
    public BrokerKind convert(String value) {
      return Arrays.stream(values()).filter(b -> b.wireName().equalsIgnoreCase(value.strip())).findFirst()
          .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a broker; use "
              + Arrays.stream(values()).map(BrokerKind::wireName).collect(Collectors.joining(", "))));
    }
  }
}
