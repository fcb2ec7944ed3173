-- Commands to devices (issue 5): one row per command and device, every step of its life stamped.
--
-- mode is 'direct' or 'queued'; status one of queued, sent, delivered, succeeded, failed, timed-out, expired,
-- cancelled. timeout_seconds and connect_timeout_seconds are for direct commands (0 for queued ones);
-- expires_at is when a direct caller stops waiting, or a queued command's time to live ends. payload and result
-- are JSON text. attempts counts publications to the device. group_id names the group of a group command.
-- Rows go with their tenant or device.

CREATE TABLE commands (
  tenant_id ${key_text} NOT NULL,
  id ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  name TEXT NOT NULL,
  payload TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  timeout_seconds INTEGER NOT NULL,
  connect_timeout_seconds INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  sent_at BIGINT,
  delivered_at BIGINT,
  completed_at BIGINT,
  attempts INTEGER NOT NULL,
  result TEXT,
  message TEXT,
  group_id ${key_text},
  created_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX commands_by_device ON commands (tenant_id, device_id, created_at);
CREATE INDEX commands_by_status ON commands (status, expires_at);
