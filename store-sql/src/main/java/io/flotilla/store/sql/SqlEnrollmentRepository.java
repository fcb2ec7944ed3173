package io.flotilla.store.sql;

import io.flotilla.core.ca.SealedKey;
import io.flotilla.core.provisioning.ClaimCertificate;
import io.flotilla.core.provisioning.EnrollmentGroup;
import io.flotilla.core.provisioning.EnrollmentGroup.Attestation;
import io.flotilla.core.provisioning.EnrollmentGroup.IssuedCredential;
import io.flotilla.core.provisioning.EnrollmentGroup.Webhook;
import io.flotilla.core.store.EnrollmentRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class SqlEnrollmentRepository implements EnrollmentRepository {
  private static final String COLUMNS = "tenant_id, id, name, attestation, master_key_id, key_sealed, template, "
      + "credential, device_id_prefix, device_id, active, requests_per_minute, webhook_url, webhook_master_key_id, "
      + "webhook_secret_sealed, created_at, updated_at, version";
  private static final String CLAIM_COLUMNS = "tenant_id, id, group_id, fingerprint, certificate_pem, not_after, "
      + "issued, created_at";

  private final JdbcSession sql;

  SqlEnrollmentRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(EnrollmentGroup g) {
    sql.update("INSERT INTO enrollment_groups (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        g.tenant().value(), g.id(), g.name(), g.attestation().wireName(),
        g.symmetricKey().map(SealedKey::masterKeyId).orElse(null),
        g.symmetricKey().map(SealedKey::ciphertext).orElse(null), SqlRegisteredCaRepository.template(g.template()),
        g.credential().wireName(), g.deviceIdPrefix(), g.deviceId().orElse(null), g.active(), g.requestsPerMinute(),
        g.webhook().map(Webhook::url).orElse(null), g.webhook().map(w -> w.secret().masterKeyId()).orElse(null),
        g.webhook().map(w -> w.secret().ciphertext()).orElse(null), Millis.of(g.createdAt()),
        Millis.of(g.updatedAt()), g.version());
  }

  @Override
  public Optional<EnrollmentGroup> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM enrollment_groups WHERE tenant_id = ? AND id = ?",
        SqlEnrollmentRepository::map, tenant.value(), id);
  }

  @Override
  public List<EnrollmentGroup> list(TenantId tenant) {
    return sql.list("SELECT " + COLUMNS + " FROM enrollment_groups WHERE tenant_id = ? ORDER BY id",
        SqlEnrollmentRepository::map, tenant.value());
  }

  @Override
  public Optional<EnrollmentGroup> findById(String id) {
    return sql.one("SELECT " + COLUMNS + " FROM enrollment_groups WHERE id = ?", SqlEnrollmentRepository::map, id);
  }

  @Override
  public boolean update(EnrollmentGroup g, long expectedVersion) {
    return sql.update("UPDATE enrollment_groups SET name = ?, template = ?, device_id_prefix = ?, active = ?, "
            + "requests_per_minute = ?, webhook_url = ?, webhook_master_key_id = ?, webhook_secret_sealed = ?, "
            + "updated_at = ?, version = ? WHERE tenant_id = ? AND id = ? AND version = ?",
        g.name(), SqlRegisteredCaRepository.template(g.template()), g.deviceIdPrefix(), g.active(),
        g.requestsPerMinute(), g.webhook().map(Webhook::url).orElse(null),
        g.webhook().map(w -> w.secret().masterKeyId()).orElse(null),
        g.webhook().map(w -> w.secret().ciphertext()).orElse(null), Millis.of(g.updatedAt()), g.version(),
        g.tenant().value(), g.id(), expectedVersion) == 1;
  }

  @Override
  public boolean delete(TenantId tenant, String id) {
    sql.update("DELETE FROM enrollment_claim_certificates WHERE tenant_id = ? AND group_id = ?", tenant.value(), id);
    return sql.update("DELETE FROM enrollment_groups WHERE tenant_id = ? AND id = ?", tenant.value(), id) == 1;
  }

  @Override
  public void insertClaim(ClaimCertificate c) {
    sql.update("INSERT INTO enrollment_claim_certificates (" + CLAIM_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        c.tenant().value(), c.id(), c.groupId(), c.fingerprint(), c.certificatePem(), Millis.of(c.notAfter()),
        c.issued(), Millis.of(c.createdAt()));
  }

  @Override
  public List<ClaimCertificate> claims(TenantId tenant, String groupId) {
    return sql.list("SELECT " + CLAIM_COLUMNS + " FROM enrollment_claim_certificates WHERE tenant_id = ? "
        + "AND group_id = ? ORDER BY id", SqlEnrollmentRepository::claim, tenant.value(), groupId);
  }

  @Override
  public Optional<ClaimCertificate> findClaimByFingerprint(String fingerprint) {
    return sql.one("SELECT " + CLAIM_COLUMNS + " FROM enrollment_claim_certificates WHERE fingerprint = ?",
        SqlEnrollmentRepository::claim, fingerprint);
  }

  @Override
  public boolean deleteClaim(TenantId tenant, String groupId, String id) {
    return sql.update("DELETE FROM enrollment_claim_certificates WHERE tenant_id = ? AND group_id = ? AND id = ?",
        tenant.value(), groupId, id) == 1;
  }

  private static EnrollmentGroup map(ResultSet row) throws SQLException {
    String masterKeyId = row.getString("master_key_id");
    Optional<SealedKey> key = masterKeyId == null ? Optional.empty()
        : Optional.of(new SealedKey(masterKeyId, row.getString("key_sealed")));
    return new EnrollmentGroup(new TenantId(row.getString("tenant_id")), row.getString("id"), row.getString("name"),
        Attestation.fromWire(row.getString("attestation")).orElseThrow(), key,
        SqlRegisteredCaRepository.template(row.getString("template")),
        IssuedCredential.fromWire(row.getString("credential")).orElseThrow(), row.getString("device_id_prefix"),
        Optional.ofNullable(row.getString("device_id")),
        row.getBoolean("active"), row.getInt("requests_per_minute"), webhook(row), Millis.read(row, "created_at"),
        Millis.read(row, "updated_at"), row.getLong("version"));
  }

  private static Optional<Webhook> webhook(ResultSet row) throws SQLException {
    String url = row.getString("webhook_url");
    return url == null ? Optional.empty() : Optional.of(new Webhook(url,
        new SealedKey(row.getString("webhook_master_key_id"), row.getString("webhook_secret_sealed"))));
  }

  private static ClaimCertificate claim(ResultSet row) throws SQLException {
    return new ClaimCertificate(new TenantId(row.getString("tenant_id")), row.getString("id"),
        row.getString("group_id"), row.getString("fingerprint"), row.getString("certificate_pem"),
        Millis.read(row, "not_after"), row.getBoolean("issued"), Millis.read(row, "created_at"));
  }
}
