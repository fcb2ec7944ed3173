package io.flotilla.core.audit;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One change, as recorded in a tenant's append-only chain.
 *
 * @param seq 1, 2, 3… within the tenant's chain, with no gaps
 * @param actor who did it ({@code user:alice/token:tok_…} or {@code system})
 * @param action what was done ({@code device.create}, {@code token.revoke})
 * @param before canonical JSON of the entity before the change, {@code null} text when it did not exist
 * @param after canonical JSON after the change, {@code null} text when it no longer exists
 * @param prevHash hash of record {@code seq - 1}, or {@link AuditChain#GENESIS} for the first
 * @param hash SHA-256 over this record's fields and {@code prevHash}
 */
public record AuditRecord(TenantId tenant, long seq, Instant at, String actor, String action,
    String entityType, String entityId, String before, String after, String prevHash, String hash) {
  public AuditRecord {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(entityType, "entityType");
    Objects.requireNonNull(entityId, "entityId");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
  }
}
