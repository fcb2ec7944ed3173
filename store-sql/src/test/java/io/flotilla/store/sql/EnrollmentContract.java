package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.ca.SealedKey;
import io.flotilla.core.provisioning.ClaimCertificate;
import io.flotilla.core.provisioning.EnrollmentGroup;
import io.flotilla.core.provisioning.EnrollmentGroup.Attestation;
import io.flotilla.core.provisioning.EnrollmentGroup.IssuedCredential;
import io.flotilla.core.provisioning.EnrollmentGroup.Webhook;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Enrollment groups for provisioning by claim, and their claim certificates. */
public abstract class EnrollmentContract extends ContractPart {
  static EnrollmentGroup keyGroup(TenantId tenant, String id) {
    return new EnrollmentGroup(tenant, id, "batch " + id, Attestation.SYMMETRIC_KEY,
        Optional.of(new SealedKey("mk_test", "v1.sealed." + id)), RegisteredCaContract.TEMPLATE,
        IssuedCredential.TOKEN, "", Optional.of("meter-" + id), true, 30,
        Optional.of(new Webhook("https://hooks.example/" + id, new SealedKey("mk_test", "v1.hook." + id))), T0, T0, 1);
  }

  static EnrollmentGroup claimGroup(TenantId tenant, String id) {
    return new EnrollmentGroup(tenant, id, "batch " + id, Attestation.CLAIM_CERTIFICATE, Optional.empty(),
        RegisteredCaContract.TEMPLATE, IssuedCredential.CERTIFICATE, "meter-", Optional.empty(), true, 60,
        Optional.empty(), T0, T0, 1);
  }

  static ClaimCertificate claim(TenantId tenant, String id, String group, String fingerprint) {
    return new ClaimCertificate(tenant, id, group, fingerprint, "-----BEGIN CERTIFICATE-----\n" + id
        + "\n-----END CERTIFICATE-----\n", T0.plus(Duration.ofDays(30)), true, T0);
  }

  /** Groups read back as written, sealed key and template included; each tenant lists its own; ids are global. */
  @Test
  void groupsRoundTripPerTenantAndAreFoundByIdAlone() {
    EnrollmentGroup key = keyGroup(ACME, "eg_1");
    EnrollmentGroup claims = claimGroup(ACME, "eg_2");
    inWrite(tx -> {
      tx.enrollments().insert(key);
      tx.enrollments().insert(claims);
      tx.enrollments().insert(keyGroup(GLOBEX, "eg_3"));
    });

    assertThat(read((RegistryTx tx) -> tx.enrollments().find(ACME, "eg_1"))).contains(key);
    assertThat(read((RegistryTx tx) -> tx.enrollments().list(ACME))).containsExactly(key, claims);
    assertThat(read((RegistryTx tx) -> tx.enrollments().find(ACME, "eg_3"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.enrollments().findById("eg_3"))).map(EnrollmentGroup::tenant)
        .contains(GLOBEX);
    assertThatThrownBy(() -> inWrite(tx -> tx.enrollments().insert(keyGroup(GLOBEX, "eg_1"))))
        .as("a group id is unique across tenants").isInstanceOf(DuplicateKeyException.class);
  }

  /** Updates compare the version; deleting a group deletes its claim certificates. */
  @Test
  void updatesCompareTheVersionAndDeletesTakeTheClaims() {
    EnrollmentGroup group = claimGroup(ACME, "eg_1");
    inWrite(tx -> {
      tx.enrollments().insert(group);
      tx.enrollments().insertClaim(claim(ACME, "claim_1", "eg_1", "f1"));
    });
    EnrollmentGroup next = group.with("renamed", group.template(), "pump-", false, 5,
        Optional.of(new Webhook("http://127.0.0.1:9/hook", new SealedKey("mk_test", "v1.hook"))), T0.plusSeconds(5));

    assertThat(write((RegistryTx tx) -> tx.enrollments().update(next, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.enrollments().update(next, 1))).as("stale version").isFalse();
    assertThat(read((RegistryTx tx) -> tx.enrollments().find(ACME, "eg_1"))).contains(next);
    assertThat(write((RegistryTx tx) -> tx.enrollments().delete(ACME, "eg_1"))).isTrue();
    assertThat(read((RegistryTx tx) -> tx.enrollments().findClaimByFingerprint("f1"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.enrollments().find(ACME, "eg_1"))).isEmpty();
  }

  /** A claim certificate is found by fingerprint across tenants, and a fingerprint is registered once. */
  @Test
  void aClaimFingerprintBelongsToOneGroup() {
    inWrite(tx -> {
      tx.enrollments().insert(claimGroup(ACME, "eg_1"));
      tx.enrollments().insert(claimGroup(GLOBEX, "eg_2"));
      tx.enrollments().insertClaim(claim(ACME, "claim_1", "eg_1", "f1"));
    });

    assertThat(read((RegistryTx tx) -> tx.enrollments().findClaimByFingerprint("f1")))
        .contains(claim(ACME, "claim_1", "eg_1", "f1"));
    assertThat(read((RegistryTx tx) -> tx.enrollments().claims(ACME, "eg_1"))).hasSize(1);
    assertThatThrownBy(() -> inWrite(tx -> tx.enrollments().insertClaim(claim(GLOBEX, "claim_2", "eg_2", "f1"))))
        .isInstanceOf(DuplicateKeyException.class);
    assertThat(write((RegistryTx tx) -> tx.enrollments().deleteClaim(ACME, "eg_1", "claim_1"))).isTrue();
    assertThat(read((RegistryTx tx) -> tx.enrollments().claims(ACME, "eg_1"))).isEmpty();
  }
}
