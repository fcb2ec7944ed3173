-- Tenant certificate authorities and the device certificates they issue.
--
-- tenant_cas.key_sealed is the CA's private key encrypted with the server's master key (AES-256-GCM
-- envelope: a random data key encrypts the key, the master key encrypts the data key); the key is never
-- stored in clear. master_key_id names the master key that sealed it (an id derived from the key, not the
-- key), so that a server started with another master key refuses clearly and keys can be re-sealed later.
-- crl_number is the number of the last CRL the CA signed; each CRL takes the next one.
-- A tenant has at most one current CA (retired_at NULL); retiring one for a successor is planned (rotation).

CREATE TABLE tenant_cas (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  certificate_pem TEXT NOT NULL,
  key_sealed TEXT NOT NULL,
  master_key_id TEXT NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  crl_number BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX tenant_cas_current ON tenant_cas (tenant_id) WHERE retired_at IS NULL;

-- Certificates issued by a tenant CA. Each is also a row of device_credentials with the same id (what the
-- device doors match, by fingerprint). These rows are not tied to the device: when it is deleted they stay,
-- revoked, so that its CA's CRL still lists them. serial is upper-case hex, unique within its CA.

CREATE TABLE device_certificates (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  ca_id ${key_text} NOT NULL,
  serial TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, ca_id, serial),
  FOREIGN KEY (tenant_id, ca_id) REFERENCES tenant_cas (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX device_certificates_by_device ON device_certificates (tenant_id, device_id, created_at);
