package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static io.flotilla.store.sql.RegistryFixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.store.StoreException;
import io.flotilla.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

public abstract class TransactionContract extends ContractPart {
  protected abstract String expectedEngine();

  /** The store names its engine. */
  @Test
  void storeNamesItsEngine() {
    assertThat(store().engine()).isEqualTo(expectedEngine());
  }

  /** Work that throws rolls back everything it wrote, and the very same exception reaches the caller. */
  @Test
  void failingWorkRollsBackAndItsExceptionPropagatesUnchanged() {
    RuntimeException failure = new IllegalArgumentException("the service changed its mind");
    assertThatThrownBy(() -> inWrite(tx -> {
      tx.devices().insert(device(ACME, "dev-1"));
      tx.tenants().insert(tenant(new TenantId("initech")));
      throw failure;
    })).isSameAs(failure);

    assertThat(read((RegistryTx tx) -> tx.devices().find(ACME, new DeviceId("dev-1")))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.tenants().find(new TenantId("initech")))).isEmpty();
  }

  /** Errors (not only exceptions) roll back too. */
  @Test
  void errorsRollBackToo() {
    AssertionError failure = new AssertionError("boom");
    assertThatThrownBy(() -> inWrite(tx -> {
      tx.devices().insert(device(ACME, "dev-1"));
      throw failure;
    })).isSameAs(failure);
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of()))).isZero();
  }

  /** Work's return value comes back from write and read. */
  @Test
  void workReturnsItsValue() {
    assertThat(write((RegistryTx tx) -> "written")).isEqualTo("written");
    assertThat(read((RegistryTx tx) -> tx.tenants().list().size())).isEqualTo(2);
  }

  /** A read transaction refuses to write. */
  @Test
  void readTransactionsCannotWrite() {
    assertThatThrownBy(() -> read((RegistryTx tx) -> {
      tx.devices().insert(device(ACME, "dev-1"));
      return null;
    })).isInstanceOf(StoreException.class);
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of()))).isZero();
  }

  /** A read transaction sees one snapshot, even when a write commits in the middle of it. */
  @Test
  void readTransactionSeesOneSnapshot() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      long[] counts = read((RegistryTx tx) -> {
        long before = tx.devices().count(ACME, List.of());
        try {
          other.submit(() -> inWrite(w -> w.devices().insert(device(ACME, "dev-1")))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return new long[] {before, tx.devices().count(ACME, List.of())};
      });
      assertThat(counts[1]).isEqualTo(counts[0]);
      assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of()))).isEqualTo(counts[0] + 1);
    } finally {
      other.shutdownNow();
    }
  }

  /** Calling write or read inside work is refused instead of deadlocking or splitting the transaction. */
  @Test
  void transactionsDoNotNest() {
    assertThatThrownBy(() -> inWrite(tx -> store().read(inner -> inner.tenants().list())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("do not nest");
    assertThatThrownBy(() -> read((RegistryTx tx) -> store().write(inner -> inner.tenants().list())))
        .isInstanceOf(IllegalStateException.class);
    assertThat(write((RegistryTx tx) -> tx.tenants().list())).hasSize(2);
  }

  /** Repositories kept past the end of their transaction refuse to work. */
  @Test
  void repositoriesAreUnusableAfterTheirTransaction() {
    RegistryTx leaked = write((RegistryTx tx) -> tx);
    assertThatThrownBy(() -> leaked.tenants().list()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transaction has ended");
  }

  /** Many threads writing at once all succeed: the engine serializes them, none sees a busy error. */
  @Test
  void concurrentWritersAndReadersAllSucceed() throws Exception {
    int threads = 8;
    int writesEach = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < writesEach; i++) {
            String id = "dev-" + thread + "-" + i;
            inWrite(tx -> {
              tx.devices().insert(device(ACME, id));
              tx.devices().insert(device(GLOBEX, id));
            });
          }
        }));
        futures.add(pool.submit(() -> {
          for (int i = 0; i < writesEach; i++) {
            read((RegistryTx tx) -> tx.devices().count(ACME, List.of()));
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(read((RegistryTx tx) -> tx.devices().count(ACME, List.of()))).isEqualTo(threads * writesEach);
    assertThat(read((RegistryTx tx) -> tx.devices().count(GLOBEX, List.of()))).isEqualTo(threads * writesEach);
  }

  /** The store is ready while open, not after close, and refuses work once closed. */
  @Test
  void storeIsReadyUntilClosed() {
    assertThat(store().isReady()).isTrue();
    store().close();
    assertThat(store().isReady()).isFalse();
    assertThatThrownBy(() -> read((RegistryTx tx) -> tx.tenants().list())).isInstanceOf(IllegalStateException.class);
    store().close();
  }
}
