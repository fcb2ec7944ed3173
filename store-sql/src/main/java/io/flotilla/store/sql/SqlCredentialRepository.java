package io.flotilla.store.sql;

import io.flotilla.core.device.CredentialType;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.store.CredentialRepository;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class SqlCredentialRepository implements CredentialRepository {
  private static final String COLUMNS = "tenant_id, device_id, id, type, secret_hash, fingerprint, certificate_pem, "
      + "not_after, created_at, revoked_at";

  private final JdbcSession sql;

  SqlCredentialRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(DeviceCredential c) {
    int inserted = sql.update("INSERT INTO device_credentials (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING",
        c.tenant().value(), c.device().value(), c.id(), c.type().wireName(), c.secretHash().orElse(null),
        c.fingerprint().orElse(null), c.certificatePem().orElse(null), Millis.ofOptional(c.notAfter()),
        Millis.of(c.createdAt()), Millis.ofOptional(c.revokedAt()));
    if (inserted == 0) {
      throw new DuplicateKeyException("credential '" + c.id() + "', its secret or its fingerprint exists already",
          null);
    }
  }

  @Override
  public Optional<DeviceCredential> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM device_credentials WHERE tenant_id = ? AND id = ?",
        SqlCredentialRepository::map, tenant.value(), id);
  }

  @Override
  public Optional<DeviceCredential> findBySecretHash(String secretHash) {
    return sql.one("SELECT " + COLUMNS + " FROM device_credentials WHERE secret_hash = ?",
        SqlCredentialRepository::map, secretHash);
  }

  @Override
  public Optional<DeviceCredential> findByFingerprint(String fingerprint) {
    return sql.one("SELECT " + COLUMNS + " FROM device_credentials WHERE fingerprint = ?",
        SqlCredentialRepository::map, fingerprint);
  }

  @Override
  public List<DeviceCredential> list(TenantId tenant, DeviceId device) {
    return sql.list("SELECT " + COLUMNS + " FROM device_credentials WHERE tenant_id = ? AND device_id = ? "
        + "ORDER BY created_at, id", SqlCredentialRepository::map, tenant.value(), device.value());
  }

  @Override
  public boolean revoke(TenantId tenant, String id, Instant at) {
    return sql.update("UPDATE device_credentials SET revoked_at = ? WHERE tenant_id = ? AND id = ? "
        + "AND revoked_at IS NULL", Millis.of(at), tenant.value(), id) == 1;
  }

  static DeviceCredential map(ResultSet row) throws SQLException {
    return new DeviceCredential(new TenantId(row.getString("tenant_id")), new DeviceId(row.getString("device_id")),
        row.getString("id"), CredentialType.fromWire(row.getString("type")),
        Optional.ofNullable(row.getString("secret_hash")), Optional.ofNullable(row.getString("fingerprint")),
        Optional.ofNullable(row.getString("certificate_pem")), Millis.readOptional(row, "not_after"),
        Millis.read(row, "created_at"), Millis.readOptional(row, "revoked_at"));
  }
}
