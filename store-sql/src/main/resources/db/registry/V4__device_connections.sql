-- Connectivity: whether each device is connected now, and what is known of its current or last
-- connection. A device that never connected has no row; the row goes with its device.
--
-- connection_id names one connection, so that the late end of a replaced connection (an MQTT
-- take-over) cannot mark offline the connection that replaced it.
-- last_seen is written in batches every few seconds rather than on every message, so it lags
-- the server's memory by up to that interval; the service shows the newer of the two.
-- disconnected_at and last_disconnect_reason describe the last connection that ended, and are
-- kept while a newer connection is up.

CREATE TABLE device_connections (
  tenant_id ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  online BOOLEAN NOT NULL,
  connection_id TEXT NOT NULL,
  connected_since BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  disconnected_at BIGINT,
  client_address TEXT NOT NULL,
  protocol TEXT NOT NULL,
  last_disconnect_reason TEXT,
  PRIMARY KEY (tenant_id, device_id),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);
