package io.flotilla.core.store;

import io.flotilla.core.ca.RegisteredCa;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * CA certificates tenants registered (bring your own CA) and the one-time codes that prove possession of their
 * keys. Lookups by subject cross tenants: the gateway does not know a device's tenant before it finds its CA.
 */
public interface RegisteredCaRepository {
  /** Throws {@link DuplicateKeyException} when the id exists in the tenant or the CA's key is registered already. */
  void insert(RegisteredCa ca);

  Optional<RegisteredCa> find(TenantId tenant, String id);

  /** The tenant's registered CAs ordered by id. */
  List<RegisteredCa> list(TenantId tenant);

  /** Any tenant's CA with this public key fingerprint. */
  Optional<RegisteredCa> findByKeyFingerprint(String keyFingerprint);

  /** Active CAs of every tenant whose canonical subject is {@code subject}. */
  List<RegisteredCa> activeBySubject(String subject);

  /** Writes the template and active flag when the stored version is {@code expectedVersion}. */
  boolean update(RegisteredCa ca, long expectedVersion);

  boolean delete(TenantId tenant, String id);

  /** Stores a registration code by its hash, valid until {@code expiresAt}; expired codes are removed. */
  void insertCode(TenantId tenant, String codeHash, Instant expiresAt, Instant now);

  /**
   * Uses up the tenant's code with this hash if it has not expired.
   *
   * @return false when the tenant has no such valid code
   */
  boolean consumeCode(TenantId tenant, String codeHash, Instant now);
}
