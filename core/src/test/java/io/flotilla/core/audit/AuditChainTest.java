package io.flotilla.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  private static final TenantId T = new TenantId("acme");
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

  /** Each record links to the previous hash and its own hash can be recomputed from its fields. */
  @Test
  void recordsLinkAndVerify() {
    AuditRecord first = AuditChain.next(ChainHead.EMPTY, T, AT, "system", "device.create", "device", "d1", "null", "{}");
    AuditRecord second = AuditChain.next(new ChainHead(first.seq(), first.hash()), T, AT, "system", "device.delete",
        "device", "d1", "{}", "null");
    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(AuditChain.expectedHash(first)).isEqualTo(first.hash());
    assertThat(AuditChain.expectedHash(second)).isEqualTo(second.hash());
  }

  /** Changing any field of a record changes the hash it should carry. */
  @Test
  void anyEditChangesTheHash() {
    AuditRecord r = AuditChain.next(ChainHead.EMPTY, T, AT, "user:a/token:t", "device.update", "device", "d1",
        "{\"name\":\"a\"}", "{\"name\":\"b\"}");
    AuditRecord edited = new AuditRecord(r.tenant(), r.seq(), r.at(), r.actor(), r.action(), r.entityType(),
        r.entityId(), r.before(), "{\"name\":\"c\"}", r.prevHash(), r.hash());
    AuditRecord otherActor = new AuditRecord(r.tenant(), r.seq(), r.at(), "user:b/token:t", r.action(),
        r.entityType(), r.entityId(), r.before(), r.after(), r.prevHash(), r.hash());
    assertThat(AuditChain.expectedHash(edited)).isNotEqualTo(r.hash());
    assertThat(AuditChain.expectedHash(otherActor)).isNotEqualTo(r.hash());
  }

  /** Field boundaries are part of the hash, so moving text from one field to the next is detected. */
  @Test
  void fieldBoundariesAreHashed() {
    AuditRecord a = AuditChain.next(ChainHead.EMPTY, T, AT, "ab", "c", "device", "d", "null", "null");
    AuditRecord b = AuditChain.next(ChainHead.EMPTY, T, AT, "a", "bc", "device", "d", "null", "null");
    assertThat(a.hash()).isNotEqualTo(b.hash());
  }
}
