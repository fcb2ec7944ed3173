package io.flotilla.store.sql;

import io.flotilla.core.ca.ExpiringCredential;
import io.flotilla.core.store.ExpiryWarningRepository;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class SqlExpiryWarningRepository implements ExpiryWarningRepository {
  private static final String COLUMNS = "c.tenant_id, c.device_id, c.id, c.type, c.secret_hash, c.fingerprint, "
      + "c.certificate_pem, c.not_after, c.created_at, c.revoked_at, w.warned_at";

  private final JdbcSession sql;

  SqlExpiryWarningRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public List<ExpiringCredential> expiring(Optional<TenantId> tenant, Instant after, Instant until, boolean unwarnedOnly,
      int limit) {
    List<Object> params = new ArrayList<>(List.of(Millis.of(after), Millis.of(until)));
    tenant.ifPresent(t -> params.add(t.value()));
    params.add(limit);
    return sql.list("SELECT " + COLUMNS + " FROM device_credentials c "
            + "JOIN devices d ON d.tenant_id = c.tenant_id AND d.id = c.device_id "
            + "LEFT JOIN certificate_expiry_warnings w ON w.tenant_id = c.tenant_id AND w.credential_id = c.id "
            + "AND w.not_after = c.not_after "
            + "WHERE c.type = 'x509' AND c.revoked_at IS NULL AND c.not_after > ? AND c.not_after <= ? "
            + "AND d.status <> 'decommissioned'" + (tenant.isPresent() ? " AND c.tenant_id = ?" : "")
            + (unwarnedOnly ? " AND w.warned_at IS NULL" : "")
            + " ORDER BY c.not_after, c.tenant_id, c.id LIMIT ?",
        row -> new ExpiringCredential(SqlCredentialRepository.map(row), Millis.readOptional(row, "warned_at")),
        params.toArray());
  }

  @Override
  public boolean markWarned(TenantId tenant, String credentialId, Instant notAfter, Instant at) {
    return sql.update("INSERT INTO certificate_expiry_warnings (tenant_id, credential_id, not_after, warned_at) "
        + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", tenant.value(), credentialId, Millis.of(notAfter),
        Millis.of(at)) == 1;
  }
}
