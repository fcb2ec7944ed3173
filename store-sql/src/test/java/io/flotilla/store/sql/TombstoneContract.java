package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.ca.ExpiringCredential;
import io.flotilla.core.device.CredentialType;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.device.PurgeMode;
import io.flotilla.core.device.Tombstone;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tombstones of retired device ids, and the memory of certificate expiry warnings. */
public abstract class TombstoneContract extends ContractPart {
  private static final DeviceId PUMP = new DeviceId("pump-1");

  static Tombstone tombstone(TenantId tenant, String device) {
    return new Tombstone(tenant, new DeviceId(device), Tombstone.Reason.DECOMMISSIONED, T0, Optional.empty(),
        PurgeMode.RETENTION, 2, 1, 3, 0);
  }

  static DeviceCredential certificate(TenantId tenant, String device, String id, Instant notAfter) {
    return new DeviceCredential(tenant, new DeviceId(device), id, CredentialType.X509, Optional.empty(),
        Optional.of("fp-" + tenant + "-" + id), Optional.of("pem"), Optional.of(notAfter), T0, Optional.empty());
  }

  /** A tombstone reads back as written, once per id and tenant; a second one for the id is not stored. */
  @Test
  void tombstoneRoundTripsOncePerIdAndTenant() {
    Tombstone first = tombstone(ACME, "pump-1");
    assertThat(write((RegistryTx tx) -> tx.tombstones().insert(first))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.tombstones().insert(tombstone(ACME, "pump-1").deleted(T0)))).isFalse();

    assertThat(read((RegistryTx tx) -> tx.tombstones().find(ACME, PUMP))).contains(first);
    assertThat(read((RegistryTx tx) -> tx.tombstones().find(GLOBEX, PUMP))).isEmpty();
    assertThat(write((RegistryTx tx) -> tx.tombstones().insert(tombstone(GLOBEX, "pump-1")))).isTrue();
  }

  /** Updating keeps the id's tombstone and changes what it records; deleting releases the id. */
  @Test
  void tombstoneUpdatesAndReleases() {
    inWrite(tx -> tx.tombstones().insert(tombstone(ACME, "pump-1")));
    Tombstone later = tombstone(ACME, "pump-1").purged(42).deleted(T0.plusSeconds(60));

    assertThat(write((RegistryTx tx) -> tx.tombstones().update(later))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.tombstones().update(tombstone(GLOBEX, "pump-1")))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.tombstones().find(ACME, PUMP))).contains(later);
    assertThat(later.purge()).isEqualTo(PurgeMode.NOW);
    assertThat(later.pointsPurged()).isEqualTo(42);

    assertThat(write((RegistryTx tx) -> tx.tombstones().delete(ACME, PUMP))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.tombstones().delete(ACME, PUMP))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.tombstones().find(ACME, PUMP))).isEmpty();
  }

  /** Import asks which of many ids are tombstoned, per tenant. */
  @Test
  void existingNamesTheTombstonedIdsOfTheTenant() {
    inWrite(tx -> {
      tx.tombstones().insert(tombstone(ACME, "pump-1"));
      tx.tombstones().insert(tombstone(ACME, "pump-3"));
      tx.tombstones().insert(tombstone(GLOBEX, "pump-2"));
    });

    assertThat(read((RegistryTx tx) -> tx.tombstones().existing(ACME, List.of(new DeviceId("pump-1"),
        new DeviceId("pump-2"), new DeviceId("pump-3"), new DeviceId("pump-1")))))
        .containsExactlyInAnyOrder(new DeviceId("pump-1"), new DeviceId("pump-3"));
    assertThat(read((RegistryTx tx) -> tx.tombstones().existing(ACME, List.of()))).isEmpty();
  }

  /** Tombstones outlive their device, and go with their tenant. */
  @Test
  void tombstonesOutliveTheDeviceButNotTheTenant() {
    inWrite(tx -> {
      tx.devices().insert(device(ACME, "pump-1"));
      tx.tombstones().insert(tombstone(ACME, "pump-1"));
      tx.tombstones().insert(tombstone(GLOBEX, "pump-1"));
    });
    inWrite(tx -> tx.devices().delete(ACME, PUMP));
    assertThat(read((RegistryTx tx) -> tx.tombstones().find(ACME, PUMP))).isPresent();

    inWrite(tx -> tx.tenants().delete(ACME));
    assertThat(read((RegistryTx tx) -> tx.tombstones().find(ACME, PUMP))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.tombstones().find(GLOBEX, PUMP))).isPresent();
  }

  /**
   * Expiring certificates are the active ones of devices in service whose end falls in the window, soonest
   * first, across tenants or within one; a warning is remembered once per credential and end of validity.
   */
  @Test
  void expiringCertificatesAndTheirWarnings() {
    Instant soon = T0.plus(Duration.ofDays(5));
    Instant later = T0.plus(Duration.ofDays(20));
    inWrite(tx -> {
      tx.devices().insert(device(ACME, "pump-1"));
      tx.devices().insert(device(ACME, "pump-2", "Retired", "sensor", DeviceStatus.DECOMMISSIONED, Map.of(), T0));
      tx.devices().insert(device(GLOBEX, "pump-1"));
      tx.credentials().insert(certificate(ACME, "pump-1", "cred_later", later));
      tx.credentials().insert(certificate(ACME, "pump-1", "cred_soon", soon));
      tx.credentials().insert(certificate(ACME, "pump-1", "cred_far", T0.plus(Duration.ofDays(90))));
      tx.credentials().insert(certificate(ACME, "pump-1", "cred_gone", T0.minusSeconds(1)));
      tx.credentials().insert(certificate(ACME, "pump-1", "cred_revoked", soon));
      tx.credentials().revoke(ACME, "cred_revoked", T0);
      tx.credentials().insert(certificate(ACME, "pump-2", "cred_retired", soon));
      tx.credentials().insert(certificate(GLOBEX, "pump-1", "cred_globex", soon.plusSeconds(1)));
      tx.credentials().insert(new DeviceCredential(ACME, PUMP, "cred_token", CredentialType.TOKEN,
          Optional.of("hash"), Optional.empty(), Optional.empty(), Optional.empty(), T0, Optional.empty()));
    });
    Instant until = T0.plus(Duration.ofDays(30));

    assertThat(read((RegistryTx tx) -> tx.expiryWarnings().expiring(Optional.empty(), T0, until, true, 10)))
        .extracting(e -> e.credential().id()).containsExactly("cred_soon", "cred_globex", "cred_later");
    assertThat(read((RegistryTx tx) -> tx.expiryWarnings().expiring(Optional.of(ACME), T0, until, false, 1)))
        .extracting(e -> e.credential().id()).containsExactly("cred_soon");

    assertThat(write((RegistryTx tx) -> tx.expiryWarnings().markWarned(ACME, "cred_soon", soon, T0))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.expiryWarnings().markWarned(ACME, "cred_soon", soon, T0.plusSeconds(9))))
        .isFalse();
    assertThat(read((RegistryTx tx) -> tx.expiryWarnings().expiring(Optional.empty(), T0, until, true, 10)))
        .extracting(e -> e.credential().id()).containsExactly("cred_globex", "cred_later");
    List<ExpiringCredential> acme = read((RegistryTx tx) -> tx.expiryWarnings().expiring(Optional.of(ACME), T0,
        until, false, 10));
    assertThat(acme).extracting(ExpiringCredential::warnedAt).containsExactly(Optional.of(T0), Optional.empty());
    subject().reopen();
    assertThat(write((RegistryTx tx) -> tx.expiryWarnings().markWarned(ACME, "cred_soon", soon, T0))).isFalse();
  }

}
