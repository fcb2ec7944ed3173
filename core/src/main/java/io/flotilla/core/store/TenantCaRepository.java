package io.flotilla.core.store;

import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.tenant.TenantId;
import java.util.Optional;
import java.util.Set;

/** Tenants' certificate authorities, their keys sealed. A tenant has at most one current CA. */
public interface TenantCaRepository {
  /**
   * Stores the tenant's current CA unless it has one already (another request made it first); the CRL
   * numbering starts at 0.
   *
   * @return false when the tenant had a current CA, which stays
   */
  boolean insertIfAbsent(TenantCa ca);

  Optional<TenantCa> current(TenantId tenant);

  /** The ids of the master keys that sealed any tenant's CA key; the server checks them at start. */
  Set<String> masterKeyIds();

  /**
   * Takes the CA's next CRL number: one more than the last taken, durably, so that each CRL gets a higher
   * number than every CRL before it, even across nodes.
   *
   * @throws IllegalStateException when the CA does not exist
   */
  long nextCrlNumber(TenantId tenant, String caId);
}
