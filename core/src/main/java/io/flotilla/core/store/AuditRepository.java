package io.flotilla.core.store;

import io.flotilla.core.audit.AuditQuery;
import io.flotilla.core.audit.AuditRecord;
import io.flotilla.core.audit.ChainHead;
import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.function.Consumer;

/** The append-only audit log; records are never updated or deleted through this port. */
public interface AuditRepository {
  /**
   * The head of the tenant's chain, locked until the transaction ends so that concurrent writers
   * extend the chain one after another. {@link ChainHead#EMPTY} for a new chain.
   */
  ChainHead lockHead(TenantId tenant);

  /**
   * Appends the record and moves the head to it; the record must follow the locked head, or
   * {@link IllegalStateException} is thrown and nothing is written.
   */
  void append(AuditRecord record);

  /**
   * Appends consecutive records (each following the one before, the first following the locked
   * head) and moves the head to the last, in one go.
   */
  void appendAll(List<AuditRecord> records);

  /** The head as stored, without locking (for verification). */
  ChainHead head(TenantId tenant);

  /** Records matching the query, newest first; {@code from} is inclusive and {@code to} exclusive. */
  List<AuditRecord> query(TenantId tenant, AuditQuery query);

  /** Streams the tenant's whole chain in sequence order. */
  void forEach(TenantId tenant, Consumer<AuditRecord> consumer);
}
