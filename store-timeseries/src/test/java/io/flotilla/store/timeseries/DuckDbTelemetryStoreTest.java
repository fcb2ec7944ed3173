package io.flotilla.store.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.telemetry.TelemetryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a DuckDB file in a temporary folder. */
class DuckDbTelemetryStoreTest extends TelemetryStoreContract {
  @TempDir
  Path dataDir;

  @Override
  protected TelemetryStore open(TelemetryStoreSettings settings) {
    return TelemetryStores.open("duckdb:", dataDir, settings);
  }

  @Override
  protected void executeDirectly(String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve(TelemetryStores.DEFAULT_FILE));
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** {@code duckdb:} alone means the default file in the data folder, and a closed store is not ready. */
  @Test
  void bareUrlUsesTheDefaultFileInTheDataFolder() {
    assertThat(Files.exists(dataDir.resolve(TelemetryStores.DEFAULT_FILE))).isTrue();
    store.close();
    assertThat(store.isReady()).isFalse();
  }
}
