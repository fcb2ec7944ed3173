package io.flotilla.store.sql;

import io.flotilla.core.store.RegistryStore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link RegistryStore} engine must show, run against each engine by a
 * subclass that supplies a fresh database per test. Each {@link Nested} part covers one area of
 * the port; they share this class's store.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RegistryStoreContract implements StoreUnderTest {
  private String jdbcUrl;
  private RegistryStore store;

  /** Creates an empty database for one test and returns its JDBC URL. */
  protected abstract String createDatabase();

  /** Removes the database of {@link #createDatabase()}; the store is closed by then. */
  protected abstract void dropDatabase();

  /** The value {@link RegistryStore#engine()} must return. */
  protected abstract String expectedEngine();

  @BeforeEach
  void openStore() {
    jdbcUrl = createDatabase();
    store = RegistryStores.open(jdbcUrl);
  }

  @AfterEach
  void closeStore() {
    try {
      store.close();
    } finally {
      dropDatabase();
    }
  }

  @Override
  public RegistryStore store() {
    return store;
  }

  @Override
  public String jdbcUrl() {
    return jdbcUrl;
  }

  @Override
  public RegistryStore reopen() {
    store.close();
    store = RegistryStores.open(jdbcUrl);
    return store;
  }

  @Nested
  class Tenants extends TenantContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class UsersAndTokens extends AccessContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Profiles extends ProfileContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Devices extends DeviceContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class DeviceLists extends DeviceListContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Groups extends GroupContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class TopicRules extends TopicRuleContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class CertificateAuthorities extends CertificateAuthorityContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class ProvisioningJobs extends ProvisioningJobContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Tombstones extends TombstoneContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Commands extends CommandContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class RegisteredCas extends RegisteredCaContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Enrollments extends EnrollmentContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Audit extends AuditContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class RetainedMessages extends RetainedMessageContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class BrokerSessions extends BrokerSessionContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Connections extends ConnectionContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Transactions extends TransactionContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }

    @Override
    protected String expectedEngine() {
      return RegistryStoreContract.this.expectedEngine();
    }
  }

  @Nested
  class Migrations extends MigrationContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }

  @Nested
  class Twins extends TwinContract {
    @Override
    protected StoreUnderTest subject() {
      return RegistryStoreContract.this;
    }
  }
}
