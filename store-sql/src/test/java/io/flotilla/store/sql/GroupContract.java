package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static io.flotilla.store.sql.RegistryFixtures.dynamicGroup;
import static io.flotilla.store.sql.RegistryFixtures.memberOf;
import static io.flotilla.store.sql.RegistryFixtures.staticGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.group.DeviceGroup;
import io.flotilla.core.group.GroupType;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

public abstract class GroupContract extends ContractPart {
  private static final DeviceId A = new DeviceId("dev-a");
  private static final DeviceId B = new DeviceId("dev-b");
  private static final DeviceId C = new DeviceId("dev-c");

  @BeforeEach
  void createDevicesAndGroups() {
    inWrite(tx -> {
      for (DeviceId id : List.of(A, B, C)) {
        tx.devices().insert(device(ACME, id.value()));
      }
      tx.devices().insert(device(GLOBEX, A.value()));
      tx.groups().insert(staticGroup(ACME, "north"));
      tx.groups().insert(staticGroup(ACME, "east"));
    });
  }

  /** Static and dynamic groups read back as written, the dynamic group's filter included. */
  @Test
  void groupsRoundTripWithTheirFilters() {
    DeviceFilter filter = new DeviceFilter(Optional.of("sensor"), Optional.of(DeviceStatus.SUSPENDED),
        Map.of("site", "berlin", "floor", "2"), Optional.of("north"), Optional.of("dev-"), Optional.of(true));
    DeviceGroup dynamic = dynamicGroup(ACME, "berlin-sensors", filter);
    DeviceGroup onlyTags = dynamicGroup(ACME, "tagged", new DeviceFilter(Optional.empty(), Optional.empty(),
        Map.of("k", "v"), Optional.empty(), Optional.empty(), Optional.empty()));
    inWrite(tx -> {
      tx.groups().insert(dynamic);
      tx.groups().insert(onlyTags);
    });

    assertThat(read((RegistryTx tx) -> tx.groups().find(ACME, "berlin-sensors"))).contains(dynamic);
    assertThat(read((RegistryTx tx) -> tx.groups().find(ACME, "tagged"))).contains(onlyTags);
    assertThat(read((RegistryTx tx) -> tx.groups().find(ACME, "north"))).contains(staticGroup(ACME, "north"));
    assertThat(read((RegistryTx tx) -> tx.groups().find(GLOBEX, "north"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.groups().list(ACME))).extracting(DeviceGroup::id)
        .containsExactly("berlin-sensors", "east", "north", "tagged");
  }

  /** A group id is unique within its tenant only. */
  @Test
  void takenGroupIdThrowsDuplicateKeyInItsTenantOnly() {
    assertThatThrownBy(() -> inWrite(tx -> tx.groups().insert(staticGroup(ACME, "north"))))
        .isInstanceOf(DuplicateKeyException.class);
    inWrite(tx -> tx.groups().insert(staticGroup(GLOBEX, "north")));
  }

  /** Group updates apply only at the expected version. */
  @Test
  void groupUpdateIsACompareAndSetOnVersion() {
    DeviceGroup renamed = new DeviceGroup(ACME, "north", "North wing", "all of it", GroupType.STATIC,
        Optional.empty(), T0, T0.plusSeconds(1), 2);
    assertThat(write((RegistryTx tx) -> tx.groups().update(renamed, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.groups().update(renamed, 1))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.groups().find(ACME, "north"))).contains(renamed);
  }

  /** Adding members counts only devices that were not members yet and that exist in the tenant. */
  @Test
  void addMembersCountsOnlyNewExistingDevices() {
    assertThat(write((RegistryTx tx) -> tx.groups().addMembers(ACME, "north", List.of(A, B)))).isEqualTo(2);
    assertThat(write((RegistryTx tx) -> tx.groups().addMembers(ACME, "north", List.of(B, C, C, new DeviceId("ghost")))))
        .isEqualTo(1);
    assertThat(write((RegistryTx tx) -> tx.groups().addMembers(ACME, "no-such-group", List.of(A)))).isZero();
    assertThat(write((RegistryTx tx) -> tx.groups().addMembers(GLOBEX, "north", List.of(A)))).isZero();
    assertThat(write((RegistryTx tx) -> tx.groups().addMembers(ACME, "east", List.of()))).isZero();

    assertThat(read((RegistryTx tx) -> tx.devices().list(ACME, List.of(memberOf("north")), DeviceSort.BY_ID, Optional.empty(), 10)))
        .extracting(Device::id).containsExactly(A, B, C);
  }

  /** Memberships are listed per device in group id order, and removed one by one. */
  @Test
  void groupsOfListsMembershipsAndRemoveMemberReportsWhetherItRemoved() {
    inWrite(tx -> {
      tx.groups().addMembers(ACME, "north", List.of(A));
      tx.groups().addMembers(ACME, "east", List.of(A, B));
    });
    assertThat(read((RegistryTx tx) -> tx.groups().groupsOf(ACME, A))).containsExactly("east", "north");
    assertThat(read((RegistryTx tx) -> tx.groups().groupsOf(GLOBEX, A))).isEmpty();

    assertThat(write((RegistryTx tx) -> tx.groups().removeMember(ACME, "east", A))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.groups().removeMember(ACME, "east", A))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.groups().groupsOf(ACME, A))).containsExactly("north");
  }

  /** Deleting a group deletes its memberships, not its devices. */
  @Test
  void deletingAGroupDeletesItsMemberships() {
    inWrite(tx -> tx.groups().addMembers(ACME, "north", List.of(A, B)));
    assertThat(write((RegistryTx tx) -> tx.groups().delete(ACME, "north"))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.groups().delete(ACME, "north"))).isFalse();

    assertThat(read((RegistryTx tx) -> tx.groups().groupsOf(ACME, A))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.devices().find(ACME, A))).isPresent();
    // A new group of the same name starts empty.
    inWrite(tx -> tx.groups().insert(staticGroup(ACME, "north")));
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of(memberOf("north"))))).isZero();
  }
}
