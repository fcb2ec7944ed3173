package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.byTags;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static io.flotilla.store.sql.RegistryFixtures.profile;
import static io.flotilla.store.sql.RegistryFixtures.staticGroup;
import static io.flotilla.store.sql.RegistryFixtures.tenant;
import static io.flotilla.store.sql.RegistryFixtures.token;
import static io.flotilla.store.sql.RegistryFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.audit.AuditChain;
import io.flotilla.core.audit.ChainHead;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.Tenant;
import io.flotilla.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public abstract class TenantContract extends ContractPart {

  /** A tenant reads back as written, and tenants list in id order. */
  @Test
  void insertedTenantIsFoundAndTenantsListInIdOrder() {
    Tenant initech = new Tenant(new TenantId("initech"), "Initech", T0, T0.plusMillis(5), 3);
    inWrite(tx -> tx.tenants().insert(initech));

    assertThat(read((RegistryTx tx) -> tx.tenants().find(initech.id()))).contains(initech);
    assertThat(read((RegistryTx tx) -> tx.tenants().find(new TenantId("nobody")))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.tenants().list())).extracting(Tenant::id).containsExactly(ACME, GLOBEX, initech.id());
  }

  /** A taken tenant id is reported as a duplicate key. */
  @Test
  void insertingATakenTenantIdThrowsDuplicateKey() {
    assertThatThrownBy(() -> inWrite(tx -> tx.tenants().insert(tenant(ACME))))
        .isInstanceOf(DuplicateKeyException.class);
  }

  /** Updates apply only while the stored version is the expected one. */
  @Test
  void tenantUpdateIsACompareAndSetOnVersion() {
    Tenant renamed = new Tenant(ACME, "Acme Corp", T0, T0.plusSeconds(1), 2);
    assertThat(write((RegistryTx tx) -> tx.tenants().update(renamed, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.tenants().update(new Tenant(ACME, "Stale", T0, T0, 2), 1))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.tenants().update(new Tenant(new TenantId("nobody"), "x", T0, T0, 2), 1))).isFalse();

    assertThat(read((RegistryTx tx) -> tx.tenants().find(ACME))).contains(renamed);
  }

  /** Deleting a tenant removes all it owns, and nothing of another tenant. */
  @Test
  void deletingATenantRemovesEverythingItOwnsAndNothingElse() {
    inWrite(tx -> populate(tx, ACME));
    inWrite(tx -> populate(tx, GLOBEX));

    assertThat(write((RegistryTx tx) -> tx.tenants().delete(ACME))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.tenants().delete(ACME))).isFalse();

    read((RegistryTx tx) -> {
      assertThat(tx.tenants().find(ACME)).isEmpty();
      assertThat(tx.users().list(ACME)).isEmpty();
      assertThat(tx.tokens().list(ACME, Optional.empty())).isEmpty();
      assertThat(tx.tokens().findBySecretHash(token(ACME, "tok-1", "alice", T0).secretHash())).isEmpty();
      assertThat(tx.profiles().list(ACME)).isEmpty();
      assertThat(tx.devices().count(ACME, List.of())).isZero();
      assertThat(tx.groups().list(ACME)).isEmpty();
      assertThat(tx.groups().groupsOf(ACME, new DeviceId("dev-1"))).isEmpty();
      assertThat(tx.audit().head(ACME)).isEqualTo(ChainHead.EMPTY);
      List<Object> records = new ArrayList<>();
      tx.audit().forEach(ACME, records::add);
      assertThat(records).isEmpty();
      return null;
    });
    read((RegistryTx tx) -> {
      assertThat(tx.users().list(GLOBEX)).hasSize(1);
      assertThat(tx.tokens().list(GLOBEX, Optional.empty())).hasSize(1);
      assertThat(tx.profiles().list(GLOBEX)).hasSize(1);
      assertThat(tx.devices().count(GLOBEX, List.of(byTags(Map.of("site", "berlin"))))).isEqualTo(1);
      assertThat(tx.groups().groupsOf(GLOBEX, new DeviceId("dev-1"))).containsExactly("fleet");
      assertThat(tx.audit().head(GLOBEX).seq()).isEqualTo(1);
      return null;
    });

    // A tenant re-created under the same id starts empty: no tag or membership rows were left behind.
    inWrite(tx -> {
      tx.tenants().insert(tenant(ACME));
      tx.devices().insert(device(ACME, "dev-1", "Device", "sensor", DeviceStatus.ACTIVE,
          Map.of(), T0));
      tx.groups().insert(staticGroup(ACME, "fleet"));
    });
    read((RegistryTx tx) -> {
      assertThat(tx.devices().count(ACME, List.of(byTags(Map.of("site", "berlin"))))).isZero();
      assertThat(tx.groups().groupsOf(ACME, new DeviceId("dev-1"))).isEmpty();
      return null;
    });
  }

  private static void populate(RegistryTx tx, TenantId tenant) {
    tx.users().insert(user(tenant, "alice"));
    tx.tokens().insert(token(tenant, "tok-1", "alice", T0));
    tx.profiles().insert(profile(tenant, "sensor"));
    tx.devices().insert(device(tenant, "dev-1"));
    tx.groups().insert(staticGroup(tenant, "fleet"));
    tx.groups().addMembers(tenant, "fleet", List.of(new DeviceId("dev-1")));
    ChainHead head = tx.audit().lockHead(tenant);
    tx.audit().append(AuditChain.next(head, tenant, T0, "system", "device.create", "device", "dev-1", "null", "{}"));
  }
}
