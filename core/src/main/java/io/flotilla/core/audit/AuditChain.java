package io.flotilla.core.audit;

import io.flotilla.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Computes record hashes. Each hash covers the previous one, so any edit or deletion breaks the chain. */
public final class AuditChain {
  /** The previous hash of a chain's first record. */
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  /** Builds the record that follows {@code head}. */
  public static AuditRecord next(ChainHead head, TenantId tenant, Instant at, String actor, String action,
      String entityType, String entityId, String before, String after) {
    long seq = head.seq() + 1;
    String hash = hash(head.hash(), tenant, seq, at, actor, action, entityType, entityId, before, after);
    return new AuditRecord(tenant, seq, at, actor, action, entityType, entityId, before, after, head.hash(), hash);
  }

  /** The hash this record should carry, recomputed from its fields. */
  public static String expectedHash(AuditRecord r) {
    return hash(r.prevHash(), r.tenant(), r.seq(), r.at(), r.actor(), r.action(), r.entityType(), r.entityId(),
        r.before(), r.after());
  }

  private static String hash(String prevHash, TenantId tenant, long seq, Instant at, String actor, String action,
      String entityType, String entityId, String before, String after) {
    MessageDigest digest = sha256();
    // Length-prefixing each field keeps two different records from hashing the same text.
    for (String field : new String[] {prevHash, tenant.value(), Long.toString(seq), Long.toString(at.toEpochMilli()),
        actor, action, entityType, entityId, before, after}) {
      byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
      digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
      digest.update(bytes);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
