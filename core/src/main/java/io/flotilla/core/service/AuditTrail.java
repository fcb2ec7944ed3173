package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.audit.AuditChain;
import io.flotilla.core.audit.AuditRecord;
import io.flotilla.core.audit.ChainHead;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends audit records inside the transaction that makes the change, so a change and its record
 * commit or vanish together.
 */
final class AuditTrail {
  static final JsonNode ABSENT = NullNode.getInstance();

  private final Clock clock;

  AuditTrail(Clock clock) {
    this.clock = clock;
  }

  void record(RegistryTx tx, Principal actor, String action, String entityType, String entityId, JsonNode before,
      JsonNode after) {
    record(tx, actor.tenant(), actor.actor(), action, entityType, entityId, before, after);
  }

  /** One change of many in a bulk operation: the entity and its state before and after. */
  record Change(String entityId, JsonNode before, JsonNode after) {}

  /** Records many changes of one kind as consecutive records, appended in one batch. */
  void recordAll(RegistryTx tx, Principal actor, String action, String entityType, List<Change> changes) {
    recordAll(tx, actor.tenant(), actor.actor(), action, entityType, changes);
  }

  /** {@link #recordAll(RegistryTx, Principal, String, String, List)} for work done on behalf of {@code actor}. */
  void recordAll(RegistryTx tx, TenantId tenant, String actorName, String action, String entityType,
      List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    ChainHead head = tx.audit().lockHead(tenant);
    List<AuditRecord> records = new ArrayList<>(changes.size());
    Instant at = clock.instant();
    for (Change change : changes) {
      AuditRecord next = AuditChain.next(head, tenant, at, actorName, action, entityType,
          change.entityId(), Json.canonical(change.before()), Json.canonical(change.after()));
      records.add(next);
      head = new ChainHead(next.seq(), next.hash());
    }
    tx.audit().appendAll(records);
  }

  void record(RegistryTx tx, TenantId chain, String actor, String action, String entityType, String entityId,
      JsonNode before, JsonNode after) {
    ChainHead head = tx.audit().lockHead(chain);
    tx.audit().append(AuditChain.next(head, chain, clock.instant(), actor, action, entityType, entityId,
        Json.canonical(before), Json.canonical(after)));
  }
}
