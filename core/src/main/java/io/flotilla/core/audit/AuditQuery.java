package io.flotilla.core.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which records to list, newest first.
 *
 * @param beforeSeq only records with a smaller sequence number (the paging cursor)
 */
public record AuditQuery(Optional<String> entityType, Optional<String> entityId, Optional<String> actor,
    Optional<Instant> from, Optional<Instant> to, Optional<Long> beforeSeq, int limit) {
  public AuditQuery {
    Objects.requireNonNull(entityType, "entityType");
    Objects.requireNonNull(entityId, "entityId");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(beforeSeq, "beforeSeq");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
  }
}
