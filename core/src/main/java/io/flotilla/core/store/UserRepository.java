package io.flotilla.core.store;

import io.flotilla.core.access.User;
import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;

public interface UserRepository {
  /** Throws {@link DuplicateKeyException} when the id is taken in the tenant. */
  void insert(User user);

  Optional<User> find(TenantId tenant, String id);

  /** The tenant's users ordered by id. */
  List<User> list(TenantId tenant);

  boolean update(User user, long expectedVersion);

  /** Deletes the user and its tokens. */
  boolean delete(TenantId tenant, String id);
}
