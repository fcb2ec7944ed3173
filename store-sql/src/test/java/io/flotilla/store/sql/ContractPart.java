package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.tenant;

import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;

/** What every part of {@link RegistryStoreContract} shares: the store, and two tenants to keep apart. */
public abstract class ContractPart {
  protected abstract StoreUnderTest subject();

  @BeforeEach
  void createTenants() {
    inWrite(tx -> {
      tx.tenants().insert(tenant(ACME));
      tx.tenants().insert(tenant(GLOBEX));
    });
  }

  protected RegistryStore store() {
    return subject().store();
  }

  protected <T> T write(RegistryStore.Work<T> work) {
    return store().write(work);
  }

  protected <T> T read(RegistryStore.Work<T> work) {
    return store().read(work);
  }

  protected void inWrite(Consumer<RegistryTx> work) {
    store().write(tx -> {
      work.accept(tx);
      return null;
    });
  }
}
