-- The MQTT broker's durable state: retained messages, persistent sessions and the messages queued
-- for sessions whose clients are offline.
--
-- MQTT topics and client ids may be up to 65535 bytes, but PostgreSQL's B-tree indexes refuse
-- entries over 2704 bytes; so keys hold topic_hash / client_hash, the SHA-256 (hex) of the text's
-- UTF-8 bytes, and the text itself lives in an unindexed column.
-- ${bytes} is BLOB on SQLite and BYTEA on PostgreSQL: payloads and correlation data are kept byte for byte.
-- user_properties is a JSON array of [key, value] pairs in message order; subscriptions a JSON array of objects.

CREATE TABLE broker_retained (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  topic_hash ${key_text} NOT NULL,
  topic TEXT NOT NULL,
  payload ${bytes} NOT NULL,
  qos INTEGER NOT NULL,
  retain_flag BOOLEAN NOT NULL,
  expires_at BIGINT,
  content_type TEXT,
  response_topic TEXT,
  correlation_data ${bytes},
  payload_utf8 BOOLEAN NOT NULL,
  user_properties TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, topic_hash)
);

-- queued counts the session's rows in broker_queue and last_seq numbers them, so that enqueue
-- checks the bound and takes the next number in one UPDATE, which also locks the session's row
-- until the transaction ends.
CREATE TABLE broker_sessions (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  client_hash ${key_text} NOT NULL,
  client_id TEXT NOT NULL,
  expiry_interval BIGINT NOT NULL,
  disconnected_at BIGINT NOT NULL,
  subscriptions TEXT NOT NULL,
  queued BIGINT NOT NULL DEFAULT 0,
  last_seq BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, client_hash)
);

CREATE TABLE broker_queue (
  tenant_id ${key_text} NOT NULL,
  client_hash ${key_text} NOT NULL,
  seq BIGINT NOT NULL,
  topic TEXT NOT NULL,
  payload ${bytes} NOT NULL,
  qos INTEGER NOT NULL,
  retain_flag BOOLEAN NOT NULL,
  expires_at BIGINT,
  content_type TEXT,
  response_topic TEXT,
  correlation_data ${bytes},
  payload_utf8 BOOLEAN NOT NULL,
  user_properties TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, client_hash, seq),
  FOREIGN KEY (tenant_id, client_hash) REFERENCES broker_sessions (tenant_id, client_hash) ON DELETE CASCADE
);
