package io.flotilla.core.store;

import io.flotilla.core.ca.ExpiringCredential;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Certificates about to expire, and the warnings emitted for them, remembered so that a restart does not emit
 * them again.
 */
public interface ExpiryWarningRepository {
  /**
   * Active (unrevoked) certificate credentials of devices not decommissioned whose validity ends after
   * {@code after} and at or before {@code until}, soonest first (ties by tenant and id), at most {@code limit};
   * across tenants when {@code tenant} is empty; only those not warned of yet when {@code unwarnedOnly}.
   */
  List<ExpiringCredential> expiring(Optional<TenantId> tenant, Instant after, Instant until, boolean unwarnedOnly,
      int limit);

  /**
   * Remembers that the warning for this credential with this end of validity was emitted at {@code at}; false
   * when it was remembered before (so the caller does not emit it twice).
   */
  boolean markWarned(TenantId tenant, String credentialId, Instant notAfter, Instant at);
}
