package io.flotilla.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.ProvisioningTemplate.Approval;
import io.flotilla.core.ca.ProvisioningTemplate.IdSource;
import io.flotilla.core.ca.RegisteredCa;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegisteredCaRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class SqlRegisteredCaRepository implements RegisteredCaRepository {
  private static final String COLUMNS = "tenant_id, id, certificate_pem, subject, key_fingerprint, fingerprint, "
      + "not_before, not_after, template, active, created_at, updated_at, version";

  private final JdbcSession sql;

  SqlRegisteredCaRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(RegisteredCa ca) {
    sql.update("INSERT INTO registered_cas (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ca.tenant().value(), ca.id(), ca.certificatePem(), ca.subject(), ca.keyFingerprint(), ca.fingerprint(),
        Millis.of(ca.notBefore()), Millis.of(ca.notAfter()), template(ca.template()), ca.active(),
        Millis.of(ca.createdAt()), Millis.of(ca.updatedAt()), ca.version());
  }

  @Override
  public Optional<RegisteredCa> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM registered_cas WHERE tenant_id = ? AND id = ?",
        SqlRegisteredCaRepository::map, tenant.value(), id);
  }

  @Override
  public List<RegisteredCa> list(TenantId tenant) {
    return sql.list("SELECT " + COLUMNS + " FROM registered_cas WHERE tenant_id = ? ORDER BY id",
        SqlRegisteredCaRepository::map, tenant.value());
  }

  @Override
  public Optional<RegisteredCa> findByKeyFingerprint(String keyFingerprint) {
    return sql.one("SELECT " + COLUMNS + " FROM registered_cas WHERE key_fingerprint = ?",
        SqlRegisteredCaRepository::map, keyFingerprint);
  }

  @Override
  public List<RegisteredCa> activeBySubject(String subject) {
    return sql.list("SELECT " + COLUMNS + " FROM registered_cas WHERE subject = ? AND active = ? "
        + "ORDER BY tenant_id, id", SqlRegisteredCaRepository::map, subject, true);
  }

  @Override
  public boolean update(RegisteredCa ca, long expectedVersion) {
    return sql.update("UPDATE registered_cas SET template = ?, active = ?, updated_at = ?, version = ? "
            + "WHERE tenant_id = ? AND id = ? AND version = ?", template(ca.template()), ca.active(),
        Millis.of(ca.updatedAt()), ca.version(), ca.tenant().value(), ca.id(), expectedVersion) == 1;
  }

  @Override
  public boolean delete(TenantId tenant, String id) {
    return sql.update("DELETE FROM registered_cas WHERE tenant_id = ? AND id = ?", tenant.value(), id) == 1;
  }

  @Override
  public void insertCode(TenantId tenant, String codeHash, Instant expiresAt, Instant now) {
    sql.update("DELETE FROM ca_registration_codes WHERE expires_at <= ?", Millis.of(now));
    sql.update("INSERT INTO ca_registration_codes (code_hash, tenant_id, expires_at) VALUES (?, ?, ?)", codeHash,
        tenant.value(), Millis.of(expiresAt));
  }

  @Override
  public boolean consumeCode(TenantId tenant, String codeHash, Instant now) {
    return sql.update("DELETE FROM ca_registration_codes WHERE code_hash = ? AND tenant_id = ? AND expires_at > ?",
        codeHash, tenant.value(), Millis.of(now)) == 1;
  }

  static String template(ProvisioningTemplate template) {
    return Json.canonical(EntityJson.provisioningTemplate(template));
  }

  static ProvisioningTemplate template(String text) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a registered CA's template is not JSON: " + e.getOriginalMessage(), e);
    }
    List<String> groups = new ArrayList<>();
    node.path("groups").forEach(g -> groups.add(g.asText()));
    Map<String, String> tags = new LinkedHashMap<>();
    node.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    JsonNode twin = node.get("initialTwin");
    return new ProvisioningTemplate(node.path("profile").asText(), groups, tags,
        IdSource.fromWire(node.path("idFrom").asText()).orElse(IdSource.CN),
        Approval.fromWire(node.path("approval").asText()).orElse(Approval.PENDING),
        twin != null && twin.isObject() ? Optional.of((ObjectNode) twin) : Optional.empty());
  }

  private static RegisteredCa map(ResultSet row) throws SQLException {
    return new RegisteredCa(new TenantId(row.getString("tenant_id")), row.getString("id"),
        row.getString("certificate_pem"), row.getString("subject"), row.getString("key_fingerprint"),
        row.getString("fingerprint"), Millis.read(row, "not_before"), Millis.read(row, "not_after"),
        template(row.getString("template")), row.getBoolean("active"), Millis.read(row, "created_at"),
        Millis.read(row, "updated_at"), row.getLong("version"));
  }
}
