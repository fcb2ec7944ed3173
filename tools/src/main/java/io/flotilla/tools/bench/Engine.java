package io.flotilla.tools.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The registry engines a benchmark can run on, by the names the command line uses. */
enum Engine {
  SQLITE, POSTGRESQL;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code sqlite} or {@code postgresql}, in any case. */
  static final class Converter implements ITypeConverter<Engine> {
    @Override
    public Engine convert(String value) {
      return Arrays.stream(values()).filter(e -> e.wireName().equalsIgnoreCase(value.strip())).findFirst()
          .orElseThrow(() -> new TypeConversionException("'" + value + "' is not an engine; use "
              + Arrays.stream(values()).map(Engine::wireName).collect(Collectors.joining(" or "))));
    }
  }
}
