package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.core.twin.Twin;
import io.flotilla.core.twin.TwinChange;
import io.flotilla.core.twin.TwinCondition;
import io.flotilla.core.twin.TwinDocuments;
import io.flotilla.core.twin.TwinMatch;
import io.flotilla.core.event.InProcessDomainEvents;
import io.flotilla.core.service.TwinService;
import io.flotilla.core.twin.TwinLimits;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Twins, their history and the leaf index the fleet is queried by. */
public abstract class TwinContract extends ContractPart {

  @BeforeEach
  void createDevices() {
    inWrite(tx -> {
      for (String id : List.of("a", "b", "c", "d")) {
        tx.devices().insert(device(ACME, id));
      }
      tx.devices().insert(device(GLOBEX, "a"));
    });
  }

  private static Twin twin(TenantId tenant, String device, String name, long version, String reported) {
    ObjectNode sections = (ObjectNode) Json.readTrusted(reported);
    ObjectNode metadata = Json.object();
    metadata.putObject("desired");
    metadata.set("reported", TwinDocuments.metadata(sections, sections, Json.object(), T0));
    return new Twin(tenant, device, name, version, Json.object(), sections, metadata, T0, T0.plusSeconds(version));
  }

  private void store(Twin twin) {
    inWrite(tx -> {
      tx.twins().insert(twin);
      tx.twins().replaceLeaves(twin.tenant(), twin.device(), twin.name(),
          TwinDocuments.leaves(twin.desired(), twin.reported()));
    });
  }

  private List<String> devices(TenantId tenant, String... where) {
    List<TwinCondition> conditions = java.util.Arrays.stream(where).map(w -> TwinCondition.parse("where", w)).toList();
    return read((RegistryTx tx) -> tx.twins().query(tenant, Twin.DEFAULT, conditions, Optional.empty(), 100))
        .stream().map(TwinMatch::device).toList();
  }

  /** A twin reads back as written; a second insert is a duplicate; an update needs the version it replaces. */
  @Test
  void twinRoundTripsAndUpdatesByVersion() {
    Twin first = twin(ACME, "a", Twin.DEFAULT, 1, "{\"mode\":\"eco\",\"fw\":{\"version\":\"1.0\"}}");
    store(first);
    assertThat(read((RegistryTx tx) -> tx.twins().find(ACME, "a", Twin.DEFAULT))).contains(first);
    assertThat(read((RegistryTx tx) -> tx.twins().find(GLOBEX, "a", Twin.DEFAULT))).isEmpty();
    assertThatThrownBy(() -> inWrite(tx -> tx.twins().insert(first))).isInstanceOf(DuplicateKeyException.class);

    Twin second = twin(ACME, "a", Twin.DEFAULT, 2, "{\"mode\":\"boost\"}");
    assertThat(write((RegistryTx tx) -> tx.twins().update(second, 5))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.twins().update(second, 1))).isTrue();
    assertThat(read((RegistryTx tx) -> tx.twins().find(ACME, "a", Twin.DEFAULT))).contains(second);
    store(twin(ACME, "a", "config", 1, "{}"));
    assertThat(read((RegistryTx tx) -> tx.twins().list(ACME, "a"))).extracting(Twin::name)
        .containsExactly("config", "default");
  }

  /** Strings compare byte by byte, numbers and booleans by value, conditions combine, tenants stay apart. */
  @Test
  void queriesCompareLeavesByTypeWithinTheTenant() {
    store(twin(ACME, "a", Twin.DEFAULT, 1, "{\"fw\":{\"version\":\"1.4.2\"},\"battery\":10,\"online\":true}"));
    store(twin(ACME, "b", Twin.DEFAULT, 1, "{\"fw\":{\"version\":\"2.1.0\"},\"battery\":50.5,\"online\":false}"));
    store(twin(ACME, "c", Twin.DEFAULT, 1, "{\"fw\":{\"version\":\"1.9.9\"},\"battery\":90}"));
    store(twin(ACME, "d", Twin.DEFAULT, 1, "{\"fw\":{\"version\":2},\"battery\":\"full\"}"));
    store(twin(GLOBEX, "a", Twin.DEFAULT, 1, "{\"fw\":{\"version\":\"1.0\"}}"));

    assertThat(devices(ACME, "reported.fw.version<\"2.0\"")).containsExactly("a", "c");
    assertThat(devices(ACME, "reported.fw.version<2.5")).containsExactly("d");
    assertThat(devices(ACME, "reported.fw.version!=\"2.1.0\"")).containsExactly("a", "c", "d");
    assertThat(devices(ACME, "reported.battery>=50.5")).containsExactly("b", "c");
    assertThat(devices(ACME, "reported.battery=full")).containsExactly("d");
    assertThat(devices(ACME, "reported.online=true")).containsExactly("a");
    assertThat(devices(ACME, "reported.battery>20", "reported.fw.version<=\"1.9.9\"")).containsExactly("c");
    assertThat(devices(ACME, "desired.battery>0")).isEmpty();
    assertThat(devices(GLOBEX, "reported.fw.version<\"2.0\"")).containsExactly("a");

    List<TwinCondition> any = List.of(TwinCondition.parse("where", "reported.battery>0"));
    assertThat(read((RegistryTx tx) -> tx.twins().query(ACME, Twin.DEFAULT, any, Optional.of("a"), 1)))
        .containsExactly(new TwinMatch("b", Twin.DEFAULT, 1));
  }

  /** History comes newest first, pages below a version and keeps only the newest changes it is told to. */
  @Test
  void historyIsNewestFirstAndPruned() {
    store(twin(ACME, "a", Twin.DEFAULT, 1, "{}"));
    for (long v = 1; v <= 5; v++) {
      long version = v;
      inWrite(tx -> tx.twins().appendHistory(new TwinChange(ACME, "a", Twin.DEFAULT, version, Twin.Section.REPORTED,
          Json.object().put("n", version), "device:a", T0.plusSeconds(version)), 3));
    }
    List<TwinChange> all = read((RegistryTx tx) -> tx.twins().history(ACME, "a", Twin.DEFAULT, Optional.empty(), 10));
    assertThat(all).extracting(TwinChange::version).containsExactly(5L, 4L, 3L);
    assertThat(all.get(0).patch()).isEqualTo(Json.object().put("n", 5));
    assertThat(all.get(0).at()).isEqualTo(T0.plusSeconds(5));
    assertThat(read((RegistryTx tx) -> tx.twins().history(ACME, "a", Twin.DEFAULT, Optional.of(5L), 1)))
        .extracting(TwinChange::version).containsExactly(4L);
  }

  /**
   * Reports racing on one twin all land, each on the version before it (the service retries a lost
   * compare-and-set), and the leaf index follows the last one.
   */
  @Test
  void concurrentReportsAllLand() throws Exception {
    TwinService twins = new TwinService(store(), Clock.systemUTC(), new InProcessDomainEvents(), TwinLimits.DEFAULT);
    int reports = 8;
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Twin>> done = new java.util.ArrayList<>();
      for (int i = 0; i < reports; i++) {
        ObjectNode body = Json.object();
        body.putObject("reported").put("k" + i, i);
        done.add(pool.submit(() -> twins.report(ACME, "a", Twin.DEFAULT, body)));
      }
      for (Future<Twin> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
    Twin twin = read((RegistryTx tx) -> tx.twins().find(ACME, "a", Twin.DEFAULT)).orElseThrow();
    assertThat(twin.version()).isEqualTo(reports);
    assertThat(twin.reported().size()).isEqualTo(reports);
    assertThat(read((RegistryTx tx) -> tx.twins().history(ACME, "a", Twin.DEFAULT, Optional.empty(), 100)))
        .extracting(TwinChange::version).containsExactly(8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
    assertThat(devices(ACME, "reported.k7=7")).containsExactly("a");
  }

  /** Removing a device's twins takes their history and index rows; deleting the device does the same. */
  @Test
  void twinsGoWithTheirDevice() {
    store(twin(ACME, "a", Twin.DEFAULT, 1, "{\"x\":1}"));
    store(twin(ACME, "a", "config", 1, "{\"x\":1}"));
    store(twin(ACME, "b", Twin.DEFAULT, 1, "{\"x\":1}"));
    inWrite(tx -> tx.twins().appendHistory(new TwinChange(ACME, "b", Twin.DEFAULT, 1, Twin.Section.REPORTED,
        Json.object(), "device:b", T0), 10));

    assertThat(write((RegistryTx tx) -> tx.twins().deleteAll(ACME, "a"))).isEqualTo(2);
    assertThat(devices(ACME, "reported.x=1")).containsExactly("b");
    inWrite(tx -> tx.devices().delete(ACME, new DeviceId("b")));
    assertThat(devices(ACME, "reported.x=1")).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.twins().find(ACME, "b", Twin.DEFAULT))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.twins().history(ACME, "b", Twin.DEFAULT, Optional.empty(), 10))).isEmpty();
  }
}
