package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.ca.RevokedSerial;
import io.flotilla.core.ca.SealedKey;
import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tenant CAs (their keys sealed) and the device certificates they issue. */
public abstract class CertificateAuthorityContract extends ContractPart {
  private static final Instant UNTIL = T0.plus(Duration.ofDays(3653));

  static TenantCa ca(TenantId tenant, String id, String masterKeyId) {
    return new TenantCa(tenant, id, "-----BEGIN CERTIFICATE-----\n" + tenant + id + "\n-----END CERTIFICATE-----\n",
        new SealedKey(masterKeyId, "v1.sealed-data-key." + id), T0.minusSeconds(3600), UNTIL, T0);
  }

  static DeviceCertificate certificate(TenantId tenant, String id, String device, String caId, String serial,
      Instant createdAt) {
    return new DeviceCertificate(tenant, id, new DeviceId(device), caId, serial, "fp-" + tenant + "-" + id,
        "-----BEGIN CERTIFICATE-----\n" + id + "\n-----END CERTIFICATE-----\n", createdAt.minusSeconds(300),
        createdAt.plus(Duration.ofDays(365)), createdAt, Optional.empty());
  }

  /** A CA reads back as written, sealed key and all; each tenant sees only its own. */
  @Test
  void caRoundTripsPerTenant() {
    TenantCa acme = ca(ACME, "ca_1", "mk_1");
    assertThat(write((RegistryTx tx) -> tx.tenantCas().insertIfAbsent(acme))).isTrue();

    assertThat(read((RegistryTx tx) -> tx.tenantCas().current(ACME))).contains(acme);
    assertThat(read((RegistryTx tx) -> tx.tenantCas().current(GLOBEX))).isEmpty();
  }

  /** A tenant has one current CA: a second one (a racing request's) is not stored and the first stays. */
  @Test
  void secondCaOfATenantIsNotStored() {
    inWrite(tx -> tx.tenantCas().insertIfAbsent(ca(ACME, "ca_1", "mk_1")));

    assertThat(write((RegistryTx tx) -> tx.tenantCas().insertIfAbsent(ca(ACME, "ca_2", "mk_1")))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.tenantCas().insertIfAbsent(ca(GLOBEX, "ca_1", "mk_1")))).isTrue();
    assertThat(read((RegistryTx tx) -> tx.tenantCas().current(ACME))).map(TenantCa::id).contains("ca_1");
  }

  /** The server's start-up check sees every master key that sealed a CA key, across tenants. */
  @Test
  void masterKeyIdsSpanTenants() {
    assertThat(read((RegistryTx tx) -> tx.tenantCas().masterKeyIds())).isEmpty();
    inWrite(tx -> {
      tx.tenantCas().insertIfAbsent(ca(ACME, "ca_1", "mk_b"));
      tx.tenantCas().insertIfAbsent(ca(GLOBEX, "ca_1", "mk_a"));
    });

    assertThat(read((RegistryTx tx) -> tx.tenantCas().masterKeyIds())).containsExactly("mk_a", "mk_b");
  }

  /** CRL numbers start at 1 and increase by one per CRL, per CA. */
  @Test
  void crlNumbersIncreasePerCa() {
    inWrite(tx -> {
      tx.tenantCas().insertIfAbsent(ca(ACME, "ca_1", "mk_1"));
      tx.tenantCas().insertIfAbsent(ca(GLOBEX, "ca_1", "mk_1"));
    });

    assertThat(write((RegistryTx tx) -> tx.tenantCas().nextCrlNumber(ACME, "ca_1"))).isEqualTo(1);
    assertThat(write((RegistryTx tx) -> tx.tenantCas().nextCrlNumber(ACME, "ca_1"))).isEqualTo(2);
    assertThat(write((RegistryTx tx) -> tx.tenantCas().nextCrlNumber(GLOBEX, "ca_1"))).isEqualTo(1);
    subject().reopen();
    assertThat(write((RegistryTx tx) -> tx.tenantCas().nextCrlNumber(ACME, "ca_1"))).isEqualTo(3);
    assertThatThrownBy(() -> write((RegistryTx tx) -> tx.tenantCas().nextCrlNumber(ACME, "ca_9")))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Certificates read back as written and list per device, oldest first. */
  @Test
  void certificatesRoundTripAndListPerDevice() {
    DeviceCertificate first = certificate(ACME, "cert_1", "pump-1", "ca_1", "0A", T0);
    DeviceCertificate second = certificate(ACME, "cert_2", "pump-1", "ca_1", "0B", T0.plusSeconds(1));
    inWrite(tx -> {
      tx.tenantCas().insertIfAbsent(ca(ACME, "ca_1", "mk_1"));
      tx.deviceCertificates().insert(second);
      tx.deviceCertificates().insert(first);
      tx.deviceCertificates().insert(certificate(ACME, "cert_3", "pump-2", "ca_1", "0C", T0));
    });

    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().find(ACME, "cert_1"))).contains(first);
    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().find(GLOBEX, "cert_1"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().list(ACME, new DeviceId("pump-1"))))
        .containsExactly(first, second);
  }

  /** Ids are unique per tenant and serials per CA; another tenant's CA may repeat a serial. */
  @Test
  void takenIdOrSerialThrowsDuplicateKey() {
    inWrite(tx -> {
      tx.tenantCas().insertIfAbsent(ca(ACME, "ca_1", "mk_1"));
      tx.tenantCas().insertIfAbsent(ca(GLOBEX, "ca_1", "mk_1"));
      tx.deviceCertificates().insert(certificate(ACME, "cert_1", "pump-1", "ca_1", "0A", T0));
    });

    assertThatThrownBy(() -> inWrite(tx -> tx.deviceCertificates().insert(
        certificate(ACME, "cert_1", "pump-1", "ca_1", "0B", T0)))).isInstanceOf(DuplicateKeyException.class);
    assertThatThrownBy(() -> inWrite(tx -> tx.deviceCertificates().insert(
        certificate(ACME, "cert_2", "pump-1", "ca_1", "0A", T0)))).isInstanceOf(DuplicateKeyException.class);
    inWrite(tx -> tx.deviceCertificates().insert(certificate(GLOBEX, "cert_1", "pump-1", "ca_1", "0A", T0)));
  }

  /**
   * Revocation happens once; the CRL's list holds the CA's revoked, unexpired certificates by serial, and
   * nothing of another tenant.
   */
  @Test
  void revokedCertificatesListForTheCrl() {
    Instant at = T0.plusSeconds(60);
    DeviceCertificate expired = new DeviceCertificate(ACME, "cert_old", new DeviceId("pump-1"), "ca_1", "01", "fp-old",
        "pem", T0.minus(Duration.ofDays(10)), T0.minusSeconds(1), T0.minus(Duration.ofDays(10)), Optional.empty());
    inWrite(tx -> {
      tx.tenantCas().insertIfAbsent(ca(ACME, "ca_1", "mk_1"));
      tx.tenantCas().insertIfAbsent(ca(GLOBEX, "ca_1", "mk_1"));
      tx.deviceCertificates().insert(certificate(ACME, "cert_b", "pump-1", "ca_1", "0B", T0));
      tx.deviceCertificates().insert(certificate(ACME, "cert_a", "pump-2", "ca_1", "0A", T0));
      tx.deviceCertificates().insert(certificate(ACME, "cert_c", "pump-1", "ca_1", "0C", T0));
      tx.deviceCertificates().insert(expired);
      tx.deviceCertificates().insert(certificate(GLOBEX, "cert_g", "pump-1", "ca_1", "0D", T0));
    });

    assertThat(write((RegistryTx tx) -> tx.deviceCertificates().revoke(ACME, "cert_c", at))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.deviceCertificates().revoke(ACME, "cert_c", at.plusSeconds(1)))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.deviceCertificates().revoke(ACME, "nope", at))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.deviceCertificates().revokeAllOf(ACME, new DeviceId("pump-1"), at)))
        .as("cert_b and the expired one; cert_c was revoked already").isEqualTo(2);
    inWrite(tx -> tx.deviceCertificates().revoke(ACME, "cert_a", at));
    inWrite(tx -> tx.deviceCertificates().revoke(GLOBEX, "cert_g", at));

    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().find(ACME, "cert_c")).orElseThrow().revokedAt())
        .contains(at);
    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().revoked(ACME, "ca_1", T0)))
        .containsExactly(new RevokedSerial("0A", at), new RevokedSerial("0B", at), new RevokedSerial("0C", at));
  }

  /** Certificates outlive their device (its CA's CRL still lists them) and go with their tenant. */
  @Test
  void certificatesOutliveTheirDeviceButNotTheirTenant() {
    inWrite(tx -> {
      tx.devices().insert(device(ACME, "pump-1"));
      tx.tenantCas().insertIfAbsent(ca(ACME, "ca_1", "mk_1"));
      tx.tenantCas().insertIfAbsent(ca(GLOBEX, "ca_1", "mk_1"));
      tx.deviceCertificates().insert(certificate(ACME, "cert_1", "pump-1", "ca_1", "0A", T0));
      tx.deviceCertificates().insert(certificate(GLOBEX, "cert_1", "pump-1", "ca_1", "0A", T0));
    });
    inWrite(tx -> tx.devices().delete(ACME, new DeviceId("pump-1")));
    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().find(ACME, "cert_1"))).isPresent();

    inWrite(tx -> tx.tenants().delete(ACME));
    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().find(ACME, "cert_1"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.tenantCas().current(ACME))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.tenantCas().current(GLOBEX))).isPresent();
    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().find(GLOBEX, "cert_1"))).isPresent();
  }

  /**
   * A certificate issued by a rotation names the one it replaces; its first use is recorded once (the first of
   * racing connects wins), never for a revoked one.
   */
  @Test
  void rotationCertificateRecordsItsFirstUseOnce() {
    DeviceCertificate old = certificate(ACME, "cert_1", "pump-1", "ca_1", "0A", T0);
    DeviceCertificate base = certificate(ACME, "cert_2", "pump-1", "ca_1", "0B", T0.plusSeconds(1));
    DeviceCertificate rotated = new DeviceCertificate(ACME, "cert_2", base.device(), "ca_1", "0B", base.fingerprint(),
        base.certificatePem(), base.notBefore(), base.notAfter(), base.createdAt(), Optional.empty(),
        Optional.of("cert_1"), Optional.empty());
    DeviceCertificate third = certificate(ACME, "cert_3", "pump-1", "ca_1", "0C", T0.plusSeconds(2));
    inWrite(tx -> {
      tx.tenantCas().insertIfAbsent(ca(ACME, "ca_1", "mk_1"));
      tx.deviceCertificates().insert(old);
      tx.deviceCertificates().insert(rotated);
      tx.deviceCertificates().insert(third);
    });
    assertThat(read((RegistryTx tx) -> tx.deviceCertificates().find(ACME, "cert_2"))).contains(rotated);
    assertThat(rotated.isPendingRotation()).isTrue();

    Instant used = T0.plusSeconds(30);
    assertThat(write((RegistryTx tx) -> tx.deviceCertificates().markFirstUsed(ACME, "cert_2", used))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.deviceCertificates().markFirstUsed(ACME, "cert_2", used.plusSeconds(1))))
        .isFalse();
    inWrite(tx -> tx.deviceCertificates().revoke(ACME, "cert_3", used));
    assertThat(write((RegistryTx tx) -> tx.deviceCertificates().markFirstUsed(ACME, "cert_3", used))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.deviceCertificates().markFirstUsed(GLOBEX, "cert_2", used))).isFalse();

    DeviceCertificate read = read((RegistryTx tx) -> tx.deviceCertificates().find(ACME, "cert_2")).orElseThrow();
    assertThat(read.firstUsedAt()).contains(used);
    assertThat(read.replaces()).contains("cert_1");
    assertThat(read.isPendingRotation()).isFalse();
  }
}
