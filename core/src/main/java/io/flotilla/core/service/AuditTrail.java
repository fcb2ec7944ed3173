package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.audit.AuditChain;
import io.flotilla.core.audit.ChainHead;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;

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

  void record(RegistryTx tx, TenantId chain, String actor, String action, String entityType, String entityId,
      JsonNode before, JsonNode after) {
    ChainHead head = tx.audit().lockHead(chain);
    tx.audit().append(AuditChain.next(head, chain, clock.instant(), actor, action, entityType, entityId,
        Json.canonical(before), Json.canonical(after)));
  }
}
