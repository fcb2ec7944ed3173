-- The registry schema, shared by SQLite and PostgreSQL.
--
-- ${key_text} is TEXT compared byte by byte on both engines (COLLATE "C" on PostgreSQL), so ids,
-- names and tags sort, page and prefix-match the same way whatever the database's locale.
-- Times are BIGINT epoch milliseconds; JSON documents are TEXT.
-- Each statement ends with ';' at the end of a line; lines starting with '--' are comments.

CREATE TABLE tenants (
  id ${key_text} NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);

CREATE TABLE users (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  disabled BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- Only the SHA-256 of a token's secret is stored; the secret itself never reaches the database.
CREATE TABLE api_tokens (
  tenant_id ${key_text} NOT NULL,
  id ${key_text} NOT NULL,
  user_id ${key_text} NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX api_tokens_by_created ON api_tokens (tenant_id, created_at, id);
CREATE INDEX api_tokens_by_user ON api_tokens (tenant_id, user_id, created_at, id);

CREATE TABLE device_profiles (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  telemetry_schema TEXT,
  default_twin TEXT NOT NULL,
  classification TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- A device's profile is not a foreign key: services check it, and insertAll stays a plain batch.
CREATE TABLE devices (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  name ${key_text} NOT NULL,
  profile ${key_text} NOT NULL,
  status ${key_text} NOT NULL,
  tags TEXT NOT NULL,
  attributes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
-- One index per sort order, each ending with id, so that keyset pages are index range scans.
CREATE INDEX devices_by_created ON devices (tenant_id, created_at, id);
CREATE INDEX devices_by_updated ON devices (tenant_id, updated_at, id);
CREATE INDEX devices_by_profile ON devices (tenant_id, profile, id);
CREATE INDEX devices_by_status ON devices (tenant_id, status, id);
CREATE INDEX devices_by_name ON devices (tenant_id, name, id);

-- The tags of devices.tags again, one row each, so that tag filters use an index.
CREATE TABLE device_tags (
  tenant_id ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  key ${key_text} NOT NULL,
  value ${key_text} NOT NULL,
  PRIMARY KEY (tenant_id, device_id, key),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX device_tags_by_value ON device_tags (tenant_id, key, value, device_id);

CREATE TABLE device_groups (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  type TEXT NOT NULL,
  filter TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE group_members (
  tenant_id ${key_text} NOT NULL,
  group_id ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  PRIMARY KEY (tenant_id, group_id, device_id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES device_groups (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_by_device ON group_members (tenant_id, device_id, group_id);

CREATE TABLE audit_log (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type ${key_text} NOT NULL,
  entity_id ${key_text} NOT NULL,
  before_state TEXT NOT NULL,
  after_state TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_log_by_entity ON audit_log (tenant_id, entity_type, entity_id, seq);

-- The last record of each chain, kept apart so that deleting the newest record is detected too,
-- and locked by writers (FOR UPDATE on PostgreSQL) so that concurrent appends cannot fork the chain.
CREATE TABLE audit_head (
  tenant_id ${key_text} NOT NULL PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
