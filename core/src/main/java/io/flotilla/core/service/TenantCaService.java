package io.flotilla.core.service;

import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CertificateAuthority;
import io.flotilla.core.ca.CertificatePolicy;
import io.flotilla.core.ca.Crl;
import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each tenant's certificate authority, made on first use (the first certificate issued, the first read of
 * the CA certificate or CRL), and the CRLs it signs.
 */
public final class TenantCaService {
  private static final Logger LOG = LoggerFactory.getLogger(TenantCaService.class);

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final CertificateAuthority authority;

  public TenantCaService(RegistryStore store, Clock clock, CertificateAuthority authority) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.authority = authority;
  }

  /** The tenant's CA, made now if it has none; readers of the registry may see it. */
  public TenantCa certificate(Principal principal) {
    principal.require(Permission.REGISTRY_READ);
    return ensure(principal);
  }

  /**
   * A new CRL of the tenant's CA listing its revoked, unexpired certificates, valid for
   * {@link CertificatePolicy#CRL_VALIDITY}. Each call signs a new one with the next CRL number, so a CRL
   * is never older than the request for it.
   */
  public Crl crl(Principal principal) {
    principal.require(Permission.REGISTRY_READ);
    TenantCa ca = ensure(principal);
    return store.write(tx -> {
      Instant now = clock.instant();
      long number = tx.tenantCas().nextCrlNumber(ca.tenant(), ca.id());
      return authority.crl(ca, tx.deviceCertificates().revoked(ca.tenant(), ca.id(), now), number, now,
          now.plus(CertificatePolicy.CRL_VALIDITY));
    });
  }

  /**
   * The tenant's current CA, made and stored if it has none. The key pair is made outside the transaction;
   * when two requests race, the first stored wins and the other's is dropped unused.
   */
  TenantCa ensure(Principal principal) {
    TenantId tenant = principal.tenant();
    Optional<TenantCa> current = store.read(tx -> tx.tenantCas().current(tenant));
    if (current.isPresent()) {
      return current.get();
    }
    TenantCa made = authority.create(tenant, TokenSecrets.newId("ca"), clock.instant());
    TenantCa stored = store.write(tx -> {
      if (!tx.tenantCas().insertIfAbsent(made)) {
        return tx.tenantCas().current(tenant).orElseThrow();
      }
      audit.record(tx, principal, "ca.create", "ca", made.id(), AuditTrail.ABSENT, EntityJson.tenantCa(made));
      return made;
    });
    if (stored == made) {
      LOG.info("Created the device CA {} of tenant {}, valid until {}, its key sealed with master key {}", made.id(),
          tenant, made.notAfter(), made.key().masterKeyId());
    }
    return stored;
  }
}
