package io.flotilla.core.store;

import io.flotilla.core.provisioning.ClaimCertificate;
import io.flotilla.core.provisioning.EnrollmentGroup;
import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** Enrollment groups (provisioning by claim) and the claim certificates registered with them. */
public interface EnrollmentRepository {
  void insert(EnrollmentGroup group);

  Optional<EnrollmentGroup> find(TenantId tenant, String id);

  List<EnrollmentGroup> list(TenantId tenant);

  /** The group with this id in any tenant: ids are unique across tenants, so a device's proof need not name its tenant. */
  Optional<EnrollmentGroup> findById(String id);

  /** Writes name, template, prefix, active, rate and version; false when the stored version is not {@code expectedVersion}. */
  boolean update(EnrollmentGroup group, long expectedVersion);

  /** Deletes the group and its claim certificates. */
  boolean delete(TenantId tenant, String id);

  /** @throws DuplicateKeyException when a claim with this fingerprint exists in any tenant */
  void insertClaim(ClaimCertificate claim);

  List<ClaimCertificate> claims(TenantId tenant, String groupId);

  /** The claim certificate with this fingerprint, whatever its tenant. */
  Optional<ClaimCertificate> findClaimByFingerprint(String fingerprint);

  boolean deleteClaim(TenantId tenant, String groupId, String id);
}
