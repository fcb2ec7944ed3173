package io.flotilla.tools.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What a kept DuckDB folder ({@code --data-dir}) holds: the data set and how its load went, written only
 * once the load and the compaction finished, so that a later run with the same sizes can skip loading and
 * a half-loaded folder is never taken for a whole one.
 */
record QuerySavedDataSet(QueryDataSet data, QueryLoad load) {
  static final String FILE = "query-benchmark.properties";
  private static final String FORMAT = "1";

  static Optional<QuerySavedDataSet> read(Path folder) {
    Path file = folder.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      p.load(reader);
      if (!FORMAT.equals(p.getProperty("format"))) {
        return Optional.empty();
      }
      QueryDataSet data = new QueryDataSet(Long.parseLong(p.getProperty("points")),
          Integer.parseInt(p.getProperty("devices")), Integer.parseInt(p.getProperty("days")),
          Instant.parse(p.getProperty("start")));
      QueryLoad load = new QueryLoad(data.points(), Double.parseDouble(p.getProperty("appendSeconds")),
          Double.parseDouble(p.getProperty("generateSeconds")), Double.parseDouble(p.getProperty("compactSeconds")),
          Long.parseLong(p.getProperty("diskBytes")), true);
      return Optional.of(new QuerySavedDataSet(data, load));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether this is the data set of these sizes (its days may have been yesterday some time ago). */
  boolean matches(long points, int devices, int days) {
    return data.points() == points && data.devices() == devices && data.days() == days;
  }

  void write(Path folder) {
    Properties p = new Properties();
    p.setProperty("format", FORMAT);
    p.setProperty("points", Long.toString(data.points()));
    p.setProperty("devices", Integer.toString(data.devices()));
    p.setProperty("days", Integer.toString(data.days()));
    p.setProperty("start", data.start().toString());
    p.setProperty("appendSeconds", Double.toString(load.appendSeconds()));
    p.setProperty("generateSeconds", Double.toString(load.generateSeconds()));
    p.setProperty("compactSeconds", Double.toString(load.compactSeconds()));
    p.setProperty("diskBytes", Long.toString(load.diskBytes()));
    try (Writer writer = Files.newBufferedWriter(folder.resolve(FILE))) {
      p.store(writer, "flotilla bench query: the data set in telemetry.duckdb");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + folder.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }
}
