-- Device credentials: tokens (only the SHA-256 of the secret is kept) and registered X.509
-- certificates (matched by the SHA-256 fingerprint of their DER encoding).

CREATE TABLE device_credentials (
  tenant_id ${key_text} NOT NULL,
  device_id ${key_text} NOT NULL,
  id ${key_text} NOT NULL,
  type TEXT NOT NULL,
  secret_hash TEXT UNIQUE,
  fingerprint TEXT UNIQUE,
  certificate_pem TEXT,
  not_after BIGINT,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX device_credentials_by_device ON device_credentials (tenant_id, device_id, created_at);
