-- CA certificates tenants bring (bring your own CA), and the one-time codes that prove they hold the keys.
--
-- key_fingerprint is the SHA-256 of the CA's public key; it is unique across tenants, so that a CA belongs to
-- one tenant and a device certificate's signature verifies against one registration only. subject is the CA's
-- subject in RFC 2253 canonical form: the gateway finds the CAs that may have signed an unknown device
-- certificate by its issuer, then verifies the signature. template is the provisioning template as JSON text.
-- No key is stored: the platform only verifies signatures made with it.

CREATE TABLE registered_cas (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  certificate_pem TEXT NOT NULL,
  subject TEXT NOT NULL,
  key_fingerprint ${key_text} NOT NULL,
  fingerprint ${key_text} NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  template TEXT NOT NULL,
  active BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (key_fingerprint)
);
CREATE INDEX registered_cas_by_subject ON registered_cas (subject);

-- Registration codes: only their SHA-256 is kept, with the tenant that asked and when the code stops working.
-- A code is deleted when it is used; expired codes are deleted when a new one is made.

CREATE TABLE ca_registration_codes (
  code_hash ${key_text} NOT NULL PRIMARY KEY,
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL
);
CREATE INDEX ca_registration_codes_by_expiry ON ca_registration_codes (expires_at);
