-- Certificate rotation over MQTT: a certificate issued to replace another names it in replaces; first_used_at is
-- when the device first authenticated with it, which is when the certificate it replaces is revoked. A rotation is
-- pending while a certificate has replaces set, first_used_at NULL and revoked_at NULL (at most one per device).

ALTER TABLE device_certificates ADD COLUMN replaces ${key_text};
ALTER TABLE device_certificates ADD COLUMN first_used_at BIGINT;

-- Bulk provisioning jobs: a manifest of devices with their CSRs or public keys, worked through in chunks by a
-- background worker that resumes after a restart (queued and running jobs are picked up again). state is queued,
-- running, completed or cancelled; the counts are kept with each chunk. Each row keeps the manifest row as JSON text
-- (request), its status (pending, provisioned, failed, cancelled), the certificate issued or the error.

CREATE TABLE provisioning_jobs (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  state TEXT NOT NULL,
  total INTEGER NOT NULL,
  provisioned INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  cancelled INTEGER NOT NULL,
  validity_days INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX provisioning_jobs_unfinished ON provisioning_jobs (state, created_at);

CREATE TABLE provisioning_job_rows (
  tenant_id ${key_text} NOT NULL,
  job_id ${key_text} NOT NULL,
  row_no INTEGER NOT NULL,
  device_id ${key_text} NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL,
  certificate_id ${key_text},
  error TEXT,
  PRIMARY KEY (tenant_id, job_id, row_no),
  FOREIGN KEY (tenant_id, job_id) REFERENCES provisioning_jobs (tenant_id, id) ON DELETE CASCADE
);
