package io.flotilla.store.sql;

import io.flotilla.core.ca.SealedKey;
import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.store.TenantCaRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

final class SqlTenantCaRepository implements TenantCaRepository {
  private static final String COLUMNS =
      "tenant_id, id, certificate_pem, key_sealed, master_key_id, not_before, not_after, created_at";

  private final JdbcSession sql;

  SqlTenantCaRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public boolean insertIfAbsent(TenantCa ca) {
    // The partial unique index on current CAs turns a second current CA of the tenant into "nothing inserted".
    return sql.update("INSERT INTO tenant_cas (" + COLUMNS + ", crl_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) "
            + "ON CONFLICT DO NOTHING",
        ca.tenant().value(), ca.id(), ca.certificatePem(), ca.key().ciphertext(), ca.key().masterKeyId(),
        Millis.of(ca.notBefore()), Millis.of(ca.notAfter()), Millis.of(ca.createdAt())) == 1;
  }

  @Override
  public Optional<TenantCa> current(TenantId tenant) {
    return sql.one("SELECT " + COLUMNS + " FROM tenant_cas WHERE tenant_id = ? AND retired_at IS NULL",
        SqlTenantCaRepository::map, tenant.value());
  }

  @Override
  public Set<String> masterKeyIds() {
    return new TreeSet<>(sql.list("SELECT DISTINCT master_key_id FROM tenant_cas", row -> row.getString(1)));
  }

  @Override
  public long nextCrlNumber(TenantId tenant, String caId) {
    return sql.one("UPDATE tenant_cas SET crl_number = crl_number + 1 WHERE tenant_id = ? AND id = ? "
            + "RETURNING crl_number", row -> row.getLong(1), tenant.value(), caId)
        .orElseThrow(() -> new IllegalStateException("tenant " + tenant + " has no CA " + caId));
  }

  private static TenantCa map(ResultSet row) throws SQLException {
    return new TenantCa(new TenantId(row.getString("tenant_id")), row.getString("id"),
        row.getString("certificate_pem"), new SealedKey(row.getString("master_key_id"), row.getString("key_sealed")),
        Millis.read(row, "not_before"), Millis.read(row, "not_after"), Millis.read(row, "created_at"));
  }
}
