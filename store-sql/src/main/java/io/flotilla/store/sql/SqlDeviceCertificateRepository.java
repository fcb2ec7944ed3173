package io.flotilla.store.sql;

import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.ca.RevokedSerial;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.store.DeviceCertificateRepository;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class SqlDeviceCertificateRepository implements DeviceCertificateRepository {
  private static final String COLUMNS = "tenant_id, id, device_id, ca_id, serial, fingerprint, certificate_pem, "
      + "not_before, not_after, created_at, revoked_at, replaces, first_used_at";

  private final JdbcSession sql;

  SqlDeviceCertificateRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(DeviceCertificate c) {
    int inserted = sql.update("INSERT INTO device_certificates (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING",
        c.tenant().value(), c.id(), c.device().value(), c.caId(), c.serial(), c.fingerprint(), c.certificatePem(),
        Millis.of(c.notBefore()), Millis.of(c.notAfter()), Millis.of(c.createdAt()), Millis.ofOptional(c.revokedAt()),
        c.replaces().orElse(null), Millis.ofOptional(c.firstUsedAt()));
    if (inserted == 0) {
      throw new DuplicateKeyException("certificate '" + c.id() + "' or serial " + c.serial() + " of CA " + c.caId()
          + " exists already", null);
    }
  }

  @Override
  public Optional<DeviceCertificate> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM device_certificates WHERE tenant_id = ? AND id = ?",
        SqlDeviceCertificateRepository::map, tenant.value(), id);
  }

  @Override
  public List<DeviceCertificate> list(TenantId tenant, DeviceId device) {
    return sql.list("SELECT " + COLUMNS + " FROM device_certificates WHERE tenant_id = ? AND device_id = ? "
        + "ORDER BY created_at, id", SqlDeviceCertificateRepository::map, tenant.value(), device.value());
  }

  @Override
  public boolean revoke(TenantId tenant, String id, Instant at) {
    return sql.update("UPDATE device_certificates SET revoked_at = ? WHERE tenant_id = ? AND id = ? "
        + "AND revoked_at IS NULL", Millis.of(at), tenant.value(), id) == 1;
  }

  @Override
  public boolean markFirstUsed(TenantId tenant, String id, Instant at) {
    return sql.update("UPDATE device_certificates SET first_used_at = ? WHERE tenant_id = ? AND id = ? "
        + "AND first_used_at IS NULL AND revoked_at IS NULL", Millis.of(at), tenant.value(), id) == 1;
  }

  @Override
  public int revokeAllOf(TenantId tenant, DeviceId device, Instant at) {
    return sql.update("UPDATE device_certificates SET revoked_at = ? WHERE tenant_id = ? AND device_id = ? "
        + "AND revoked_at IS NULL", Millis.of(at), tenant.value(), device.value());
  }

  @Override
  public List<RevokedSerial> revoked(TenantId tenant, String caId, Instant now) {
    return sql.list("SELECT serial, revoked_at FROM device_certificates WHERE tenant_id = ? AND ca_id = ? "
            + "AND revoked_at IS NOT NULL AND not_after > ? ORDER BY serial",
        row -> new RevokedSerial(row.getString("serial"), Millis.read(row, "revoked_at")),
        tenant.value(), caId, Millis.of(now));
  }

  private static DeviceCertificate map(ResultSet row) throws SQLException {
    return new DeviceCertificate(new TenantId(row.getString("tenant_id")), row.getString("id"),
        new DeviceId(row.getString("device_id")), row.getString("ca_id"), row.getString("serial"),
        row.getString("fingerprint"), row.getString("certificate_pem"), Millis.read(row, "not_before"),
        Millis.read(row, "not_after"), Millis.read(row, "created_at"), Millis.readOptional(row, "revoked_at"),
        Optional.ofNullable(row.getString("replaces")), Millis.readOptional(row, "first_used_at"));
  }
}
