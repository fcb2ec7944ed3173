package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.byOnline;
import static io.flotilla.store.sql.RegistryFixtures.byProfile;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static io.flotilla.store.sql.RegistryFixtures.dynamicGroup;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.store.ConnectionRepository.LastSeen;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

public abstract class ConnectionContract extends ContractPart {
  private static final DeviceId D1 = new DeviceId("dev-1");
  private static final DeviceId D2 = new DeviceId("dev-2");
  private static final DeviceId NEVER = new DeviceId("dev-never");
  private static final Instant T1 = T0.plusSeconds(1);
  private static final Instant T2 = T0.plusSeconds(2);
  private static final Instant T3 = T0.plusSeconds(3);

  @BeforeEach
  void createDevices() {
    inWrite(tx -> {
      for (TenantId tenant : List.of(ACME, GLOBEX)) {
        tx.devices().insert(device(tenant, D1.value()));
        tx.devices().insert(device(tenant, D2.value()));
        tx.devices().insert(device(tenant, NEVER.value()));
      }
    });
  }

  /** A connection reads back with every field; a disconnect keeps it and adds the time and reason. */
  @Test
  void connectThenDisconnectReadsBackEveryField() {
    inWrite(tx -> tx.connections().upsertOnline(ACME, D1, "conn-a", T1, "203.0.113.7:51234", "mqtt-5"));
    assertThat(find(ACME, D1)).contains(new DeviceConnection(ACME, D1, true, Optional.of("conn-a"), Optional.of(T1),
        Optional.of(T1), Optional.empty(), Optional.of("203.0.113.7:51234"), Optional.of("mqtt-5"), Optional.empty()));

    assertThat(write((RegistryTx tx) -> tx.connections().markOffline(ACME, D1, "conn-a", T2, "keep-alive timeout")))
        .isTrue();
    assertThat(find(ACME, D1)).contains(new DeviceConnection(ACME, D1, false, Optional.of("conn-a"), Optional.of(T1),
        Optional.of(T1), Optional.of(T2), Optional.of("203.0.113.7:51234"), Optional.of("mqtt-5"),
        Optional.of("keep-alive timeout")));
    assertThat(find(ACME, NEVER)).isEmpty();
  }

  /** A reconnect replaces the connection's fields but keeps when and why the last one ended. */
  @Test
  void reconnectKeepsTheLastDisconnect() {
    inWrite(tx -> {
      tx.connections().upsertOnline(ACME, D1, "conn-a", T1, "10.0.0.1:1", "mqtt-3.1.1");
      tx.connections().markOffline(ACME, D1, "conn-a", T2, "client disconnected");
      tx.connections().upsertOnline(ACME, D1, "conn-b", T3, "10.0.0.2:2", "mqtt-5");
    });
    DeviceConnection c = find(ACME, D1).orElseThrow();
    assertThat(c.online()).isTrue();
    assertThat(c.connectionId()).contains("conn-b");
    assertThat(c.connectedSince()).contains(T3);
    assertThat(c.lastSeen()).contains(T3);
    assertThat(c.clientAddress()).contains("10.0.0.2:2");
    assertThat(c.protocol()).contains("mqtt-5");
    assertThat(c.disconnectedAt()).contains(T2);
    assertThat(c.lastDisconnectReason()).contains("client disconnected");
  }

  /** The end of a replaced connection arrives after its successor began (take-over) and changes nothing. */
  @Test
  void lateDisconnectOfAReplacedConnectionLeavesTheDeviceOnline() {
    inWrite(tx -> {
      tx.connections().upsertOnline(ACME, D1, "conn-a", T1, "10.0.0.1:1", "mqtt-5");
      tx.connections().upsertOnline(ACME, D1, "conn-b", T2, "10.0.0.1:2", "mqtt-5");
    });

    assertThat(write((RegistryTx tx) -> tx.connections().markOffline(ACME, D1, "conn-a", T3, "taken over"))).isFalse();
    DeviceConnection c = find(ACME, D1).orElseThrow();
    assertThat(c.online()).isTrue();
    assertThat(c.connectionId()).contains("conn-b");
    assertThat(c.disconnectedAt()).isEmpty();
    assertThat(write((RegistryTx tx) -> tx.connections().markOffline(ACME, D1, "conn-b", T3, "bye"))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.connections().markOffline(ACME, D1, "conn-b", T3, "again"))).isFalse();
    assertThat(find(ACME, D1).orElseThrow().lastDisconnectReason()).contains("bye");
  }

  /** One batch raises every listed time, never lowers one, and skips devices without a connection. */
  @Test
  void lastSeenBatchRaisesTimesAndNeverLowersThem() {
    inWrite(tx -> {
      tx.connections().upsertOnline(ACME, D1, "conn-a", T1, "10.0.0.1:1", "mqtt-5");
      tx.connections().upsertOnline(ACME, D2, "conn-b", T2, "10.0.0.2:1", "mqtt-5");
    });

    inWrite(tx -> tx.connections().updateLastSeen(List.of(new LastSeen(ACME, D1, T3), new LastSeen(ACME, D2, T1),
        new LastSeen(ACME, NEVER, T3))));

    assertThat(find(ACME, D1).orElseThrow().lastSeen()).contains(T3);
    assertThat(find(ACME, D2).orElseThrow().lastSeen()).contains(T2);
    assertThat(find(ACME, NEVER)).isEmpty();
    inWrite(tx -> tx.connections().updateLastSeen(List.of()));
  }

  /** At start every online device of every tenant goes offline with the reason; offline ones keep theirs. */
  @Test
  void markAllOfflineEndsEveryOnlineConnectionAndReturnsThem() {
    inWrite(tx -> {
      tx.connections().upsertOnline(ACME, D1, "conn-a", T1, "10.0.0.1:1", "mqtt-5");
      tx.connections().upsertOnline(GLOBEX, D1, "conn-g", T1, "10.0.0.9:1", "mqtt-3.1.1");
      tx.connections().upsertOnline(ACME, D2, "conn-b", T1, "10.0.0.2:1", "mqtt-5");
      tx.connections().markOffline(ACME, D2, "conn-b", T2, "client disconnected");
    });

    List<DeviceConnection> ended = write((RegistryTx tx) -> tx.connections().markAllOffline("server restart", T3));

    assertThat(ended).extracting(c -> c.tenant().value() + "/" + c.device())
        .containsExactlyInAnyOrder("acme/dev-1", "globex/dev-1");
    assertThat(ended).allSatisfy(c -> {
      assertThat(c.online()).isFalse();
      assertThat(c.disconnectedAt()).contains(T3);
      assertThat(c.lastDisconnectReason()).contains("server restart");
    });
    assertThat(ended).filteredOn(c -> c.tenant().equals(GLOBEX)).singleElement()
        .satisfies(c -> assertThat(c.protocol()).contains("mqtt-3.1.1"));
    assertThat(find(ACME, D1)).isEqualTo(ended.stream().filter(c -> c.tenant().equals(ACME)).findFirst());
    assertThat(find(ACME, D2).orElseThrow().lastDisconnectReason()).contains("client disconnected");
    assertThat(write((RegistryTx tx) -> tx.connections().markAllOffline("server restart", T3))).isEmpty();
  }

  /** The same device id in another tenant has its own connection, untouched by this tenant's writes. */
  @Test
  void connectionsOfOneTenantAreInvisibleToAnother() {
    inWrite(tx -> tx.connections().upsertOnline(ACME, D1, "conn-a", T1, "10.0.0.1:1", "mqtt-5"));

    assertThat(find(GLOBEX, D1)).isEmpty();
    assertThat(write((RegistryTx tx) -> tx.connections().markOffline(GLOBEX, D1, "conn-a", T2, "x"))).isFalse();
    inWrite(tx -> tx.connections().updateLastSeen(List.of(new LastSeen(GLOBEX, D1, T3))));
    assertThat(find(ACME, D1).orElseThrow()).satisfies(c -> {
      assertThat(c.online()).isTrue();
      assertThat(c.lastSeen()).contains(T1);
    });
    assertThat(read((RegistryTx tx) -> tx.devices().count(GLOBEX, List.of(byOnline(true))))).isZero();
  }

  /** Deleting a device deletes its connection; a device created again under the id never connected. */
  @Test
  void deletingTheDeviceRemovesItsConnection() {
    inWrite(tx -> tx.connections().upsertOnline(ACME, D1, "conn-a", T1, "10.0.0.1:1", "mqtt-5"));

    inWrite(tx -> tx.devices().delete(ACME, D1));
    assertThat(find(ACME, D1)).isEmpty();
    inWrite(tx -> tx.devices().insert(device(ACME, D1.value())));
    assertThat(find(ACME, D1)).isEmpty();
  }

  /** online=true lists connected devices; online=false the rest, including those that never connected. */
  @Test
  void onlineFilterCountsDevicesThatNeverConnectedAsOffline() {
    inWrite(tx -> {
      tx.connections().upsertOnline(ACME, D1, "conn-a", T1, "10.0.0.1:1", "mqtt-5");
      tx.connections().upsertOnline(ACME, D2, "conn-b", T1, "10.0.0.2:1", "mqtt-5");
      tx.connections().markOffline(ACME, D2, "conn-b", T2, "client disconnected");
    });

    assertThat(ids(List.of(byOnline(true)))).containsExactly("dev-1");
    assertThat(ids(List.of(byOnline(false)))).containsExactly("dev-2", "dev-never");
    assertThat(ids(List.of(byOnline(false), byProfile("sensor")))).containsExactly("dev-2", "dev-never");
    assertThat(ids(List.of(byOnline(true), byOnline(false)))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of(byOnline(false))))).isEqualTo(2);
  }

  /** A dynamic group's filter keeps its online condition through the store. */
  @Test
  void dynamicGroupFilterKeepsItsOnlineCondition() {
    DeviceFilter offlineSensors = new DeviceFilter(Optional.of("sensor"), Optional.empty(), Map.of(),
        Optional.empty(), Optional.empty(), Optional.of(false));
    inWrite(tx -> tx.groups().insert(dynamicGroup(ACME, "offline-sensors", offlineSensors)));

    assertThat(read((RegistryTx tx) -> tx.groups().find(ACME, "offline-sensors")).orElseThrow().filter())
        .contains(offlineSensors);
  }

  private Optional<DeviceConnection> find(TenantId tenant, DeviceId device) {
    return read((RegistryTx tx) -> tx.connections().find(tenant, device));
  }

  private List<String> ids(List<DeviceFilter> filters) {
    return read((RegistryTx tx) -> tx.devices().list(ACME, filters, DeviceSort.BY_ID, Optional.empty(), 100))
        .stream().map(d -> d.id().value()).toList();
  }
}
