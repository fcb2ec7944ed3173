package io.flotilla.core.service;

import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.audit.AuditChain;
import io.flotilla.core.audit.AuditQuery;
import io.flotilla.core.audit.AuditRecord;
import io.flotilla.core.audit.ChainHead;
import io.flotilla.core.audit.ChainVerification;
import io.flotilla.core.store.RegistryStore;
import java.util.List;

/** Reads the audit log and checks that its hash chain is unbroken. */
public final class AuditService {
  private final RegistryStore store;

  public AuditService(RegistryStore store) {
    this.store = store;
  }

  public List<AuditRecord> query(Principal principal, AuditQuery query) {
    principal.require(Permission.AUDIT_READ);
    return store.read(tx -> tx.audit().query(principal.tenant(), query));
  }

  /**
   * Walks the caller's chain from the first record: sequence numbers without gaps, each record's
   * hash recomputed from its fields, each link to the previous hash, and the stored head last.
   */
  public ChainVerification verify(Principal principal) {
    principal.require(Permission.AUDIT_READ);
    return store.read(tx -> {
      Walk walk = new Walk();
      tx.audit().forEach(principal.tenant(), walk::check);
      if (walk.failure != null) {
        return walk.failure;
      }
      ChainHead head = tx.audit().head(principal.tenant());
      if (head.seq() != walk.last.seq() || !head.hash().equals(walk.last.hash())) {
        return ChainVerification.broken(walk.checked, walk.last.seq() + 1,
            "the chain ends at record " + walk.last.seq() + " but its head says " + head.seq()
                + ": records were removed from the end");
      }
      return ChainVerification.ok(walk.checked);
    });
  }

  /** The state of one pass over a chain. */
  private static final class Walk {
    ChainHead last = ChainHead.EMPTY;
    long checked;
    ChainVerification failure;

    void check(AuditRecord r) {
      if (failure != null) {
        return;
      }
      if (r.seq() != last.seq() + 1) {
        failure = ChainVerification.broken(checked, last.seq() + 1,
            "record " + (last.seq() + 1) + " is missing (the next one is " + r.seq() + ")");
      } else if (!r.prevHash().equals(last.hash())) {
        failure = ChainVerification.broken(checked, r.seq(),
            "record " + r.seq() + " does not link to the hash of record " + last.seq());
      } else if (!AuditChain.expectedHash(r).equals(r.hash())) {
        failure = ChainVerification.broken(checked, r.seq(), "record " + r.seq() + " was altered after it was written");
      } else {
        checked++;
        last = new ChainHead(r.seq(), r.hash());
      }
    }
  }
}
