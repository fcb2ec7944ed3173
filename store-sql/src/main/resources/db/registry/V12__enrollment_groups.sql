-- Provisioning by claim: enrollment groups and the claim certificates registered with them.
--
-- id is unique across tenants (a symmetric-key proof names the group, not its tenant). A symmetric-key group's
-- key is kept sealed with the master key (key_sealed, beside the master key's id), never in clear: device keys
-- are derived from it when a device proves itself. template is the provisioning template as JSON text. The
-- pre-provisioning webhook's secret is sealed alike (the platform signs each request with it). device_id is set
-- for an individual enrollment: the group then provisions that one id only.

CREATE TABLE enrollment_groups (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  name TEXT NOT NULL,
  attestation ${key_text} NOT NULL,
  master_key_id ${key_text},
  key_sealed TEXT,
  template TEXT NOT NULL,
  credential ${key_text} NOT NULL,
  device_id_prefix TEXT NOT NULL,
  device_id TEXT,
  active BOOLEAN NOT NULL,
  requests_per_minute INTEGER NOT NULL,
  webhook_url TEXT,
  webhook_master_key_id ${key_text},
  webhook_secret_sealed TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id)
);

-- A claim certificate belongs to one group; its fingerprint (SHA-256 of the DER) is unique across tenants.

CREATE TABLE enrollment_claim_certificates (
  tenant_id ${key_text} NOT NULL,
  id ${key_text} NOT NULL,
  group_id ${key_text} NOT NULL,
  fingerprint ${key_text} NOT NULL,
  certificate_pem TEXT NOT NULL,
  not_after BIGINT NOT NULL,
  issued BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (fingerprint),
  FOREIGN KEY (tenant_id, group_id) REFERENCES enrollment_groups (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX enrollment_claims_by_group ON enrollment_claim_certificates (tenant_id, group_id);
