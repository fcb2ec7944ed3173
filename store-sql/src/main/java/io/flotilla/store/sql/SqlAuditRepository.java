package io.flotilla.store.sql;

import io.flotilla.core.audit.AuditChain;
import io.flotilla.core.audit.AuditQuery;
import io.flotilla.core.audit.AuditRecord;
import io.flotilla.core.audit.ChainHead;
import io.flotilla.core.store.AuditRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

final class SqlAuditRepository implements AuditRepository {
  private static final String COLUMNS = "tenant_id, seq, at, actor, action, entity_type, entity_id, before_state, "
      + "after_state, prev_hash, hash";

  private final JdbcSession sql;

  SqlAuditRepository(JdbcSession sql) {
    this.sql = sql;
  }

  // A new chain has no head row to lock yet: creating it (losers of a race wait for the winner's
  // commit, then do nothing) gives two transactions that both start a chain one row to queue on.
  @Override
  public ChainHead lockHead(TenantId tenant) {
    String select = "SELECT seq, hash FROM audit_head WHERE tenant_id = ?" + sql.dialect().forUpdate();
    Optional<ChainHead> head = sql.one(select, SqlAuditRepository::mapHead, tenant.value());
    if (head.isPresent()) {
      return head.get();
    }
    sql.update("INSERT INTO audit_head (tenant_id, seq, hash) VALUES (?, 0, ?) ON CONFLICT DO NOTHING",
        tenant.value(), AuditChain.GENESIS);
    return sql.one(select, SqlAuditRepository::mapHead, tenant.value()).orElseThrow();
  }

  @Override
  public void append(AuditRecord record) {
    int moved = sql.update("UPDATE audit_head SET seq = ?, hash = ? WHERE tenant_id = ? AND seq = ? AND hash = ?",
        record.seq(), record.hash(), record.tenant().value(), record.seq() - 1, record.prevHash());
    if (moved == 0) {
      throw new IllegalStateException("Audit record " + record.seq() + " of tenant '" + record.tenant()
          + "' does not follow the head of its chain; call lockHead in the same transaction and build the record "
          + "with AuditChain.next");
    }
    sql.update("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        record.tenant().value(), record.seq(), Millis.of(record.at()), record.actor(), record.action(),
        record.entityType(), record.entityId(), record.before(), record.after(), record.prevHash(), record.hash());
  }

  // One head update and one batch for the lot: a bulk import audits thousands of records, and a
  // round trip per record made PostgreSQL imports ten times slower than SQLite's.
  @Override
  public void appendAll(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    AuditRecord first = records.get(0);
    AuditRecord last = records.get(records.size() - 1);
    List<Object[]> rows = new ArrayList<>(records.size());
    AuditRecord previous = null;
    for (AuditRecord r : records) {
      if (previous != null && (r.seq() != previous.seq() + 1 || !r.prevHash().equals(previous.hash())
          || !r.tenant().equals(previous.tenant()))) {
        throw new IllegalStateException("Audit record " + r.seq() + " does not follow record " + previous.seq());
      }
      rows.add(new Object[] {r.tenant().value(), r.seq(), Millis.of(r.at()), r.actor(), r.action(), r.entityType(),
          r.entityId(), r.before(), r.after(), r.prevHash(), r.hash()});
      previous = r;
    }
    int moved = sql.update("UPDATE audit_head SET seq = ?, hash = ? WHERE tenant_id = ? AND seq = ? AND hash = ?",
        last.seq(), last.hash(), first.tenant().value(), first.seq() - 1, first.prevHash());
    if (moved == 0) {
      throw new IllegalStateException("Audit record " + first.seq() + " of tenant '" + first.tenant()
          + "' does not follow the head of its chain; call lockHead in the same transaction");
    }
    sql.batch("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
  }

  @Override
  public ChainHead head(TenantId tenant) {
    return sql.one("SELECT seq, hash FROM audit_head WHERE tenant_id = ?", SqlAuditRepository::mapHead,
        tenant.value()).orElse(ChainHead.EMPTY);
  }

  @Override
  public List<AuditRecord> query(TenantId tenant, AuditQuery query) {
    StringBuilder where = new StringBuilder(" WHERE tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(tenant.value()));
    query.entityType().ifPresent(type -> and(where, params, "entity_type = ?", type));
    query.entityId().ifPresent(id -> and(where, params, "entity_id = ?", id));
    query.actor().ifPresent(actor -> and(where, params, "actor = ?", actor));
    query.from().ifPresent(from -> and(where, params, "at >= ?", Millis.of(from)));
    query.to().ifPresent(to -> and(where, params, "at < ?", Millis.of(to)));
    query.beforeSeq().ifPresent(seq -> and(where, params, "seq < ?", seq));
    params.add(query.limit());
    return sql.list("SELECT " + COLUMNS + " FROM audit_log" + where + " ORDER BY seq DESC LIMIT ?",
        SqlAuditRepository::map, params.toArray());
  }

  @Override
  public void forEach(TenantId tenant, Consumer<AuditRecord> consumer) {
    sql.each("SELECT " + COLUMNS + " FROM audit_log WHERE tenant_id = ? ORDER BY seq", SqlAuditRepository::map,
        consumer, tenant.value());
  }

  private static void and(StringBuilder where, List<Object> params, String condition, Object value) {
    where.append(" AND ").append(condition);
    params.add(value);
  }

  private static ChainHead mapHead(ResultSet row) throws SQLException {
    return new ChainHead(row.getLong("seq"), row.getString("hash"));
  }

  private static AuditRecord map(ResultSet row) throws SQLException {
    return new AuditRecord(new TenantId(row.getString("tenant_id")), row.getLong("seq"), Millis.read(row, "at"),
        row.getString("actor"), row.getString("action"), row.getString("entity_type"), row.getString("entity_id"),
        row.getString("before_state"), row.getString("after_state"), row.getString("prev_hash"),
        row.getString("hash"));
  }
}
