package io.flotilla.store.sql;

import io.flotilla.core.provisioning.JobState;
import io.flotilla.core.provisioning.ProvisioningJob;
import io.flotilla.core.provisioning.ProvisioningRow;
import io.flotilla.core.provisioning.RowStatus;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.ProvisioningJobRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class SqlProvisioningJobRepository implements ProvisioningJobRepository {
  private static final String JOB_COLUMNS = "tenant_id, id, state, total, provisioned, failed, cancelled, "
      + "validity_days, created_by, created_at, updated_at, finished_at";

  private final JdbcSession sql;

  SqlProvisioningJobRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(ProvisioningJob j) {
    int inserted = sql.update("INSERT INTO provisioning_jobs (" + JOB_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?) ON CONFLICT DO NOTHING", j.tenant().value(), j.id(), j.state().wireName(), j.total(),
        j.provisioned(), j.failed(), j.cancelled(), j.validityDays(), j.createdBy(), Millis.of(j.createdAt()),
        Millis.of(j.updatedAt()), Millis.ofOptional(j.finishedAt()));
    if (inserted == 0) {
      throw new DuplicateKeyException("provisioning job '" + j.id() + "' exists already", null);
    }
  }

  @Override
  public void insertRows(List<ProvisioningRow> rows) {
    sql.batch("INSERT INTO provisioning_job_rows (tenant_id, job_id, row_no, device_id, request, status, "
        + "certificate_id, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows.stream().map(r -> new Object[] {
            r.tenant().value(), r.jobId(), r.row(), r.deviceId(), r.request(), r.status().wireName(),
            r.certificateId().orElse(null), r.error().orElse(null)}).toList());
  }

  @Override
  public Optional<ProvisioningJob> find(TenantId tenant, String id) {
    return sql.one("SELECT " + JOB_COLUMNS + " FROM provisioning_jobs WHERE tenant_id = ? AND id = ?",
        SqlProvisioningJobRepository::job, tenant.value(), id);
  }

  @Override
  public List<ProvisioningJob> list(TenantId tenant, int limit) {
    return sql.list("SELECT " + JOB_COLUMNS + " FROM provisioning_jobs WHERE tenant_id = ? "
        + "ORDER BY created_at DESC, id DESC LIMIT ?", SqlProvisioningJobRepository::job, tenant.value(), limit);
  }

  @Override
  public Optional<ProvisioningJob> oldestUnfinished() {
    return sql.list("SELECT " + JOB_COLUMNS + " FROM provisioning_jobs WHERE state IN ('queued', 'running') "
        + "ORDER BY created_at, tenant_id, id LIMIT 1", SqlProvisioningJobRepository::job).stream().findFirst();
  }

  @Override
  public List<ProvisioningRow> rows(TenantId tenant, String jobId, int afterRow, int limit) {
    return sql.list("SELECT r.tenant_id, r.job_id, r.row_no, r.device_id, r.request, r.status, r.certificate_id, "
            + "r.error, c.certificate_pem FROM provisioning_job_rows r LEFT JOIN device_certificates c "
            + "ON c.tenant_id = r.tenant_id AND c.id = r.certificate_id "
            + "WHERE r.tenant_id = ? AND r.job_id = ? AND r.row_no > ? ORDER BY r.row_no LIMIT ?",
        row -> row(row, Optional.ofNullable(row.getString("certificate_pem"))), tenant.value(), jobId, afterRow,
        limit);
  }

  @Override
  public List<ProvisioningRow> pendingRows(TenantId tenant, String jobId, int limit) {
    return sql.list("SELECT tenant_id, job_id, row_no, device_id, request, status, certificate_id, error "
            + "FROM provisioning_job_rows WHERE tenant_id = ? AND job_id = ? AND status = 'pending' "
            + "ORDER BY row_no LIMIT ?", row -> row(row, Optional.empty()), tenant.value(), jobId, limit);
  }

  @Override
  public boolean finishRow(TenantId tenant, String jobId, int row, RowStatus status, Optional<String> certificateId,
      Optional<String> error) {
    return sql.update("UPDATE provisioning_job_rows SET status = ?, certificate_id = ?, error = ? "
            + "WHERE tenant_id = ? AND job_id = ? AND row_no = ? AND status = 'pending'", status.wireName(),
        certificateId.orElse(null), error.orElse(null), tenant.value(), jobId, row) == 1;
  }

  @Override
  public int cancelPendingRows(TenantId tenant, String jobId) {
    return sql.update("UPDATE provisioning_job_rows SET status = 'cancelled' WHERE tenant_id = ? AND job_id = ? "
        + "AND status = 'pending'", tenant.value(), jobId);
  }

  @Override
  public void update(ProvisioningJob j) {
    sql.update("UPDATE provisioning_jobs SET state = ?, provisioned = ?, failed = ?, cancelled = ?, updated_at = ?, "
            + "finished_at = ? WHERE tenant_id = ? AND id = ?", j.state().wireName(), j.provisioned(), j.failed(),
        j.cancelled(), Millis.of(j.updatedAt()), Millis.ofOptional(j.finishedAt()), j.tenant().value(), j.id());
  }

  private static ProvisioningJob job(ResultSet row) throws SQLException {
    return new ProvisioningJob(new TenantId(row.getString("tenant_id")), row.getString("id"),
        JobState.fromWire(row.getString("state")), row.getInt("total"), row.getInt("provisioned"),
        row.getInt("failed"), row.getInt("cancelled"), row.getInt("validity_days"), row.getString("created_by"),
        Millis.read(row, "created_at"), Millis.read(row, "updated_at"), Millis.readOptional(row, "finished_at"));
  }

  private static ProvisioningRow row(ResultSet row, Optional<String> certificatePem) throws SQLException {
    return new ProvisioningRow(new TenantId(row.getString("tenant_id")), row.getString("job_id"),
        row.getInt("row_no"), row.getString("device_id"), row.getString("request"),
        RowStatus.fromWire(row.getString("status")), Optional.ofNullable(row.getString("certificate_id")),
        certificatePem, Optional.ofNullable(row.getString("error")));
  }
}
