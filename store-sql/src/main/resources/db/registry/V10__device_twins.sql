-- Device twins (issue 5): one row per twin document of a device ('default' and named ones), the history of its
-- changes, and a flattened index of its scalar leaves so that devices can be listed by twin values.
--
-- desired, reported and metadata are JSON text; metadata is {"desired":{…},"reported":{…}} with {"updatedAt":…}
-- at each leaf. version rises on every change of either section.

CREATE TABLE device_twins (
  tenant_id ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  name ${key_text} NOT NULL,
  version BIGINT NOT NULL,
  desired TEXT NOT NULL,
  reported TEXT NOT NULL,
  metadata TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, device_id, name),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);

-- section is 'desired' or 'reported'; patch the JSON merge patch applied; actor who sent it.
CREATE TABLE twin_history (
  tenant_id ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  name ${key_text} NOT NULL,
  version BIGINT NOT NULL,
  section TEXT NOT NULL,
  patch TEXT NOT NULL,
  actor TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, device_id, name, version),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);

-- One row per scalar leaf: path like 'reported.firmware.version'; kind 's' (text_value), 'n' or 'b' (num_value,
-- booleans as 1 and 0). Keyed by path before device so that a query on one path reads only that path's rows, in
-- device order (keyset paging); the value indexes serve selective comparisons.
CREATE TABLE twin_leaves (
  tenant_id ${key_text} NOT NULL,
  name ${key_text} NOT NULL,
  path ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  kind TEXT NOT NULL,
  text_value ${key_text},
  num_value DOUBLE PRECISION,
  PRIMARY KEY (tenant_id, name, path, device_id),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX twin_leaves_by_device ON twin_leaves (tenant_id, device_id, name);
CREATE INDEX twin_leaves_by_text ON twin_leaves (tenant_id, name, path, text_value);
CREATE INDEX twin_leaves_by_number ON twin_leaves (tenant_id, name, path, num_value);
