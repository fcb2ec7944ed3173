package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DataClass;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public abstract class ProfileContract extends ContractPart {

  /** JSON documents, the classification map and the retention read back equal to what was written. */
  @Test
  void profileRoundTripsItsJsonClassificationAndRetention() {
    DeviceProfile full = profile(ACME, "thermo");
    ObjectNode twin = JsonNodeFactory.instance.objectNode();
    twin.putArray("list").add(1).add("two").addObject().put("nested", true);
    twin.put("unicode", "Grüße ☃");
    DeviceProfile bare = new DeviceProfile(ACME, "bare", "Bare", "", Optional.empty(), twin, Map.of(),
        Optional.empty(), T0, T0, 1);
    inWrite(tx -> {
      tx.profiles().insert(full);
      tx.profiles().insert(bare);
    });

    assertThat(read((RegistryTx tx) -> tx.profiles().find(ACME, "thermo"))).contains(full);
    assertThat(read((RegistryTx tx) -> tx.profiles().find(ACME, "bare"))).contains(bare);
    assertThat(read((RegistryTx tx) -> tx.profiles().find(ACME, "thermo")).orElseThrow().classification())
        .containsEntry("location.lat", DataClass.PII);
    assertThat(read((RegistryTx tx) -> tx.profiles().find(ACME, "thermo")).orElseThrow().retention())
        .contains(new RetentionPolicy(7, 60, 400));
    assertThat(read((RegistryTx tx) -> tx.profiles().find(ACME, "bare")).orElseThrow().retention()).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.profiles().find(GLOBEX, "thermo"))).isEmpty();
  }

  /** An update sets, changes and clears a profile's own retention; clearing makes it follow the default again. */
  @Test
  void updateSetsChangesAndClearsTheRetention() {
    DeviceProfile original = profile(ACME, "thermo");
    inWrite(tx -> tx.profiles().insert(original));

    DeviceProfile shorter = withRetention(original, Optional.of(new RetentionPolicy(1, 1, 2)), 2);
    assertThat(write((RegistryTx tx) -> tx.profiles().update(shorter, 1))).isTrue();
    assertThat(read((RegistryTx tx) -> tx.profiles().find(ACME, "thermo"))).contains(shorter);

    DeviceProfile cleared = withRetention(shorter, Optional.empty(), 3);
    assertThat(write((RegistryTx tx) -> tx.profiles().update(cleared, 2))).isTrue();
    DeviceProfile read = read((RegistryTx tx) -> tx.profiles().find(ACME, "thermo")).orElseThrow();
    assertThat(read.retention()).isEmpty();
    assertThat(read.effectiveRetention()).isEqualTo(RetentionPolicy.DEFAULT);
  }

  /** A profile row written before the retention columns existed (they are NULL) reads as following the default. */
  @Test
  void profileRowWithoutRetentionFollowsTheDefault() throws SQLException {
    try (Connection connection = DriverManager.getConnection(subject().jdbcUrl());
        PreparedStatement insert = connection.prepareStatement("INSERT INTO device_profiles (tenant_id, id, name, "
            + "description, telemetry_schema, default_twin, classification, created_at, updated_at, version) "
            + "VALUES ('acme', 'legacy', 'Legacy', '', NULL, '{}', '{}', ?, ?, 1)")) {
      insert.setLong(1, T0.toEpochMilli());
      insert.setLong(2, T0.toEpochMilli());
      insert.executeUpdate();
    }

    DeviceProfile legacy = read((RegistryTx tx) -> tx.profiles().find(ACME, "legacy")).orElseThrow();
    assertThat(legacy.retention()).isEmpty();
    assertThat(legacy.effectiveRetention()).isEqualTo(RetentionPolicy.DEFAULT);
  }

  /** A profile id is unique within its tenant only. */
  @Test
  void takenProfileIdThrowsDuplicateKeyInItsTenantOnly() {
    inWrite(tx -> tx.profiles().insert(profile(ACME, "thermo")));
    assertThatThrownBy(() -> inWrite(tx -> tx.profiles().insert(profile(ACME, "thermo"))))
        .isInstanceOf(DuplicateKeyException.class);
    inWrite(tx -> tx.profiles().insert(profile(GLOBEX, "thermo")));
  }

  /** Profiles list in id order, per tenant. */
  @Test
  void profilesListInIdOrderPerTenant() {
    inWrite(tx -> {
      tx.profiles().insert(profile(ACME, "zeta"));
      tx.profiles().insert(profile(ACME, "Alpha"));
      tx.profiles().insert(profile(ACME, "alpha"));
      tx.profiles().insert(profile(GLOBEX, "other"));
    });
    assertThat(read((RegistryTx tx) -> tx.profiles().list(ACME))).extracting(DeviceProfile::id)
        .containsExactly("Alpha", "alpha", "zeta");
  }

  /** Profile updates apply only at the expected version; deletes report whether a row went. */
  @Test
  void profileUpdateIsACompareAndSetAndDeleteReportsWhetherItDeleted() {
    DeviceProfile original = profile(ACME, "thermo");
    inWrite(tx -> tx.profiles().insert(original));
    DeviceProfile next = new DeviceProfile(ACME, "thermo", "Thermometer", "changed", Optional.empty(),
        original.defaultTwin(), Map.of("temp", DataClass.DIAGNOSTIC), Optional.empty(), T0, T0.plusSeconds(1), 2);

    assertThat(write((RegistryTx tx) -> tx.profiles().update(next, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.profiles().update(original, 1))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.profiles().find(ACME, "thermo"))).contains(next);

    assertThat(write((RegistryTx tx) -> tx.profiles().delete(GLOBEX, "thermo"))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.profiles().delete(ACME, "thermo"))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.profiles().delete(ACME, "thermo"))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.profiles().find(ACME, "thermo"))).isEmpty();
  }

  private static DeviceProfile withRetention(DeviceProfile p, Optional<RetentionPolicy> retention, long version) {
    return new DeviceProfile(p.tenant(), p.id(), p.name(), p.description(), p.telemetrySchema(), p.defaultTwin(),
        p.classification(), retention, p.createdAt(), p.updatedAt().plusSeconds(1), version);
  }
}
