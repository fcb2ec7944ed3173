-- Tombstones of decommissioned and deleted devices, so that their ids cannot be given to new devices, and the
-- warnings emitted for certificates about to expire, so that a restart does not emit them again.
--
-- device_tombstones.reason is 'decommissioned' or 'deleted'; decommissioned_at is when that happened, deleted_at
-- when the device record was deleted (NULL while it is kept, readable, with status decommissioned). purge is 'now'
-- or 'retention'; the counts say what the decommissioning did. A row goes only with its tenant, or when a tenant
-- admin releases the id explicitly.

CREATE TABLE device_tombstones (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  device_id ${key_text} NOT NULL,
  reason TEXT NOT NULL,
  decommissioned_at BIGINT NOT NULL,
  deleted_at BIGINT,
  purge TEXT NOT NULL,
  credentials_revoked INTEGER NOT NULL,
  certificates_revoked INTEGER NOT NULL,
  groups_left INTEGER NOT NULL,
  points_purged BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, device_id)
);

-- One row per certificate credential and end of validity whose certificate.expiring event was emitted.
-- Not tied to the credential: a credential that goes with its device leaves a row that goes with its tenant.

CREATE TABLE certificate_expiry_warnings (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  credential_id ${key_text} NOT NULL,
  not_after BIGINT NOT NULL,
  warned_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, credential_id, not_after)
);
CREATE INDEX device_credentials_by_not_after ON device_credentials (not_after);
