package io.flotilla.server;

import io.flotilla.server.config.ServerConfig;
import io.flotilla.store.sql.TemporaryPostgresDatabase;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link TelemetryIT} with the registry and the telemetry store on PostgreSQL (127.0.0.1:5432), each in
 * a database of its own that is dropped afterwards.
 */
class PostgresTelemetryIT extends TelemetryIT {
  private TemporaryPostgresDatabase registryDatabase;
  private TemporaryPostgresDatabase telemetryDatabase;

  @Override
  ServerConfig config() {
    registryDatabase = TemporaryPostgresDatabase.create();
    telemetryDatabase = TemporaryPostgresDatabase.create();
    return super.config().withDbUrl(registryDatabase.jdbcUrl()).withTsUrl(telemetryDatabase.jdbcUrl());
  }

  @AfterEach
  @Override
  void stop() throws MqttException {
    try {
      super.stop();
    } finally {
      registryDatabase.close();
      telemetryDatabase.close();
    }
  }
}
