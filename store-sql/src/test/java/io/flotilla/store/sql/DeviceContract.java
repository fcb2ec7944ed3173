package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.byIdPrefix;
import static io.flotilla.store.sql.RegistryFixtures.byProfile;
import static io.flotilla.store.sql.RegistryFixtures.byStatus;
import static io.flotilla.store.sql.RegistryFixtures.byTags;
import static io.flotilla.store.sql.RegistryFixtures.changed;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static io.flotilla.store.sql.RegistryFixtures.memberOf;
import static io.flotilla.store.sql.RegistryFixtures.staticGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.store.StoreException;
import io.flotilla.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

public abstract class DeviceContract extends ContractPart {

  /** A device reads back equal to what was written, tags and nested attributes included. */
  @Test
  void deviceRoundTripsWithTagsAndAttributes() {
    Device device = device(ACME, "dev-1", "Boiler ☃", "sensor", DeviceStatus.PROVISIONED,
        Map.of("site", "berlin", "floor", "3"), T0.plusMillis(123));
    inWrite(tx -> tx.devices().insert(device));

    assertThat(read((RegistryTx tx) -> tx.devices().find(ACME, device.id()))).contains(device);
    assertThat(read((RegistryTx tx) -> tx.devices().find(ACME, new DeviceId("dev-2")))).isEmpty();
  }

  /** A taken device id is a duplicate key, and the transaction goes on usable after catching it. */
  @Test
  void takenDeviceIdThrowsDuplicateKeyAndLeavesTheTransactionUsable() {
    inWrite(tx -> tx.devices().insert(device(ACME, "dev-1")));
    inWrite(tx -> {
      assertThatThrownBy(() -> tx.devices().insert(device(ACME, "dev-1"))).isInstanceOf(DuplicateKeyException.class);
      tx.devices().insert(device(ACME, "dev-2"));
    });
    inWrite(tx -> tx.devices().insert(device(GLOBEX, "dev-1")));

    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of()))).isEqualTo(2);
  }

  /** A device of another tenant is invisible to find, list, count, existing and countByProfile. */
  @Test
  void devicesOfOneTenantAreInvisibleToAnother() {
    inWrite(tx -> {
      tx.devices().insert(device(ACME, "shared"));
      tx.devices().insert(device(ACME, "acme-only"));
      tx.devices().insert(device(GLOBEX, "shared", "Globex's", "meter", DeviceStatus.ACTIVE, Map.of(), T0));
    });
    read((RegistryTx tx) -> {
      assertThat(tx.devices().find(GLOBEX, new DeviceId("acme-only"))).isEmpty();
      assertThat(tx.devices().find(GLOBEX, new DeviceId("shared")).orElseThrow().name()).isEqualTo("Globex's");
      assertThat(tx.devices().list(GLOBEX, List.of(), DeviceSort.BY_ID, Optional.empty(), 10))
          .extracting(Device::tenant).containsOnly(GLOBEX).hasSize(1);
      assertThat(tx.devices().count(GLOBEX, List.of())).isEqualTo(1);
      assertThat(tx.devices().count(GLOBEX, List.of(byTags(Map.of("site", "berlin"))))).isZero();
      assertThat(tx.devices().existing(GLOBEX, List.of(new DeviceId("acme-only"), new DeviceId("shared"))))
          .containsExactly(new DeviceId("shared"));
      assertThat(tx.devices().countByProfile(GLOBEX, "sensor")).isZero();
      assertThat(tx.devices().countByProfile(ACME, "sensor")).isEqualTo(2);
      assertThat(tx.devices().list(new TenantId("nobody"), List.of(), DeviceSort.BY_ID, Optional.empty(), 10))
          .isEmpty();
      return null;
    });
    assertThat(write((RegistryTx tx) -> tx.devices().delete(GLOBEX, new DeviceId("acme-only")))).isFalse();
  }

  /** existing answers for large id sets, across the store's query chunks, ignoring repeats. */
  @Test
  void existingReturnsExactlyTheStoredIds() {
    inWrite(tx -> tx.devices().insertAll(IntStream.range(0, 600)
        .mapToObj(i -> device(ACME, "dev-" + (2 * i))).toList()));
    List<DeviceId> asked = new ArrayList<>();
    IntStream.range(0, 1200).forEach(i -> asked.add(new DeviceId("dev-" + i)));
    asked.add(new DeviceId("dev-0"));

    assertThat(read((RegistryTx tx) -> tx.devices().existing(ACME, asked))).hasSize(600)
        .allMatch(id -> Integer.parseInt(id.value().substring(4)) % 2 == 0);
    assertThat(read((RegistryTx tx) -> tx.devices().existing(ACME, List.of()))).isEmpty();
  }

  /** Updates are a compare-and-set on version and replace the device's tags for filtering. */
  @Test
  void deviceUpdateIsACompareAndSetAndReplacesItsTags() {
    Device original = device(ACME, "dev-1");
    inWrite(tx -> tx.devices().insert(original));
    Device next = changed(original, "Renamed", DeviceStatus.SUSPENDED, Map.of("site", "paris"), T0.plusSeconds(9));

    assertThat(write((RegistryTx tx) -> tx.devices().update(next, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.devices().update(changed(original, "Lost", DeviceStatus.ACTIVE, Map.of(), T0), 1)))
        .isFalse();
    assertThat(write((RegistryTx tx) -> tx.devices().update(device(ACME, "missing"), 1))).isFalse();

    assertThat(read((RegistryTx tx) -> tx.devices().find(ACME, original.id()))).contains(next);
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of(byTags(Map.of("site", "berlin")))))).isZero();
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of(byTags(Map.of("site", "paris")))))).isEqualTo(1);
  }

  /** Deleting a device deletes its tags and group memberships. */
  @Test
  void deletingADeviceDeletesItsTagsAndMemberships() {
    inWrite(tx -> {
      tx.devices().insert(device(ACME, "dev-1"));
      tx.groups().insert(staticGroup(ACME, "fleet"));
      tx.groups().addMembers(ACME, "fleet", List.of(new DeviceId("dev-1")));
    });
    assertThat(write((RegistryTx tx) -> tx.devices().delete(ACME, new DeviceId("dev-1")))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.devices().delete(ACME, new DeviceId("dev-1")))).isFalse();

    // Re-created without tags or memberships, the device must not match the old ones.
    inWrite(tx -> tx.devices().insert(device(ACME, "dev-1", "again", "sensor", DeviceStatus.ACTIVE, Map.of(), T0)));
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of(byTags(Map.of("site", "berlin")))))).isZero();
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of(memberOf("fleet"))))).isZero();
    assertThat(read((RegistryTx tx) -> tx.groups().groupsOf(ACME, new DeviceId("dev-1")))).isEmpty();
  }

  /** Each filter field narrows the list, filters in one list are ANDed, and counts agree with lists. */
  @Test
  void filtersOnProfileStatusTagsMembershipAndIdPrefixAreAnded() {
    inWrite(tx -> {
      tx.devices().insert(device(ACME, "b-1", "n", "sensor", DeviceStatus.ACTIVE, Map.of("site", "berlin", "floor", "1"), T0));
      tx.devices().insert(device(ACME, "b-2", "n", "sensor", DeviceStatus.PROVISIONED, Map.of("site", "berlin"), T0));
      tx.devices().insert(device(ACME, "B-3", "n", "gateway", DeviceStatus.ACTIVE, Map.of("site", "berlin"), T0));
      tx.devices().insert(device(ACME, "bx1", "n", "gateway", DeviceStatus.ACTIVE, Map.of("site", "paris"), T0));
      tx.devices().insert(device(ACME, "b.4", "n", "sensor", DeviceStatus.ACTIVE, Map.of("site", "paris", "floor", "1"), T0));
      tx.devices().insert(device(GLOBEX, "b-9", "n", "sensor", DeviceStatus.ACTIVE, Map.of("site", "berlin"), T0));
      tx.groups().insert(staticGroup(ACME, "g1"));
      tx.groups().addMembers(ACME, "g1", List.of(new DeviceId("b-1"), new DeviceId("b.4")));
    });

    assertMatches(List.of(byProfile("sensor")), "b-1", "b-2", "b.4");
    assertMatches(List.of(byStatus(DeviceStatus.ACTIVE)), "B-3", "b-1", "b.4", "bx1");
    assertMatches(List.of(byTags(Map.of("site", "berlin"))), "B-3", "b-1", "b-2");
    assertMatches(List.of(byTags(Map.of("site", "berlin", "floor", "1"))), "b-1");
    assertMatches(List.of(byTags(Map.of("site", "rome"))));
    assertMatches(List.of(memberOf("g1")), "b-1", "b.4");
    assertMatches(List.of(memberOf("no-such-group")));
    assertMatches(List.of(byIdPrefix("b-")), "b-1", "b-2");
    assertMatches(List.of(byIdPrefix("b")), "b-1", "b-2", "b.4", "bx1");
    assertMatches(List.of(byIdPrefix("b.")), "b.4");
    assertMatches(List.of(byIdPrefix("b%")));
    assertMatches(List.of(byIdPrefix("")), "B-3", "b-1", "b-2", "b.4", "bx1");
    assertMatches(List.of(byProfile("sensor"), memberOf("g1")), "b-1", "b.4");
    assertMatches(List.of(byTags(Map.of("site", "paris")), byStatus(DeviceStatus.ACTIVE)), "b.4", "bx1");
    assertMatches(List.of(new DeviceFilter(Optional.of("sensor"), Optional.of(DeviceStatus.ACTIVE),
        Map.of("floor", "1"), Optional.of("g1"), Optional.of("b"), Optional.empty())), "b-1", "b.4");
    assertMatches(List.of(DeviceFilter.ALL, byProfile("gateway")), "B-3", "bx1");
  }

  private void assertMatches(List<DeviceFilter> filters, String... ids) {
    read((RegistryTx tx) -> {
      assertThat(tx.devices().list(ACME, filters, DeviceSort.BY_ID, Optional.empty(), 100))
          .extracting(d -> d.id().value()).as("devices matching %s", filters).containsExactly(ids);
      assertThat(tx.devices().count(ACME, filters)).as("count of %s", filters).isEqualTo(ids.length);
      return null;
    });
  }

  /** insertAll stores thousands of devices in one transaction, tags included. */
  @Test
  void insertAllStoresFiveThousandDevices() {
    List<Device> devices = IntStream.range(0, 5_000).mapToObj(i -> device(ACME, String.format("bulk-%05d", i),
        "Bulk " + i, i % 2 == 0 ? "sensor" : "meter", DeviceStatus.PROVISIONED,
        Map.of("batch", "b" + (i % 10), "site", "berlin"), T0.plusMillis(i))).toList();
    inWrite(tx -> tx.devices().insertAll(devices));

    read((RegistryTx tx) -> {
      assertThat(tx.devices().count(ACME, List.of())).isEqualTo(5_000);
      assertThat(tx.devices().countByProfile(ACME, "meter")).isEqualTo(2_500);
      assertThat(tx.devices().count(ACME, List.of(byTags(Map.of("batch", "b3"))))).isEqualTo(500);
      assertThat(tx.devices().find(ACME, new DeviceId("bulk-04999"))).contains(devices.get(4_999));
      return null;
    });
  }

  /** A duplicate anywhere in insertAll inserts none of the batch and leaves the transaction usable. */
  @Test
  void insertAllWithADuplicateInsertsNoneOfTheBatch() {
    inWrite(tx -> tx.devices().insert(device(ACME, "dup")));
    inWrite(tx -> {
      assertThatThrownBy(() -> tx.devices().insertAll(List.of(device(ACME, "new-1"), device(ACME, "dup"),
          device(ACME, "new-2")))).isInstanceOf(DuplicateKeyException.class);
      tx.devices().insert(device(ACME, "after"));
    });

    assertThat(read((RegistryTx tx) -> tx.devices().existing(ACME, List.of(new DeviceId("new-1"), new DeviceId("new-2"),
        new DeviceId("after"), new DeviceId("dup"))))).containsExactlyInAnyOrder(new DeviceId("after"),
        new DeviceId("dup"));
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of(byTags(Map.of("site", "berlin")))))).isEqualTo(2);
  }

  /** A device of a tenant that does not exist is refused by the database, as a store failure. */
  @Test
  void deviceOfAMissingTenantIsRefused() {
    assertThatThrownBy(() -> inWrite(tx -> tx.devices().insert(device(new TenantId("nobody"), "dev-1"))))
        .isInstanceOf(StoreException.class);
  }
}
