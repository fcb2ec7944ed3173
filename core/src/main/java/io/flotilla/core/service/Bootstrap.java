package io.flotilla.core.service;

import io.flotilla.core.access.Role;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.util.Optional;

/**
 * First start: when the registry has no tenant, creates the default tenant and its administrator
 * (a system admin), with the configured admin token or a freshly generated one.
 */
public final class Bootstrap {
  public static final int MIN_ADMIN_TOKEN_LENGTH = 16;

  private final RegistryStore store;
  private final TenantService tenants;

  public Bootstrap(RegistryStore store, Clock clock) {
    this.store = store;
    this.tenants = new TenantService(store, clock);
  }

  /**
   * Initializes an empty registry. Returns the admin secret when this call created the admin
   * (so the caller can show it once), and empty when the registry was initialized before.
   */
  public Optional<String> initialize(Optional<String> configuredAdminToken) {
    configuredAdminToken.ifPresent(token -> {
      if (token.length() < MIN_ADMIN_TOKEN_LENGTH) {
        throw new ValidationException("FLOTILLA_ADMIN_TOKEN", "must be at least " + MIN_ADMIN_TOKEN_LENGTH
            + " characters long");
      }
    });
    return store.write(tx -> {
      if (!tx.tenants().list().isEmpty()) {
        return Optional.empty();
      }
      String secret = configuredAdminToken.orElseGet(io.flotilla.core.access.TokenSecrets::newSecret);
      tenants.createIn(tx, TenantId.DEFAULT, "system", TenantId.DEFAULT, "Default tenant", "admin",
          Role.SYSTEM_ADMIN, secret);
      return Optional.of(secret);
    });
  }
}
