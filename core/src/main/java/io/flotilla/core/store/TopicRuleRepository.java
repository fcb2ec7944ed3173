package io.flotilla.core.store;

import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** Tenants' topic ACL rules. */
public interface TopicRuleRepository {
  /** Throws {@link DuplicateKeyException} when the id is taken in the tenant. */
  void insert(TopicRule rule);

  Optional<TopicRule> find(TenantId tenant, String id);

  /** The tenant's rules ordered by id. */
  List<TopicRule> list(TenantId tenant);

  /** Every tenant's rules ordered by tenant and id; the device gateway loads them all when it starts. */
  List<TopicRule> listAll();

  /** How many rules the tenant has. */
  long count(TenantId tenant);

  /** Replaces the stored rule if its version is still {@code expectedVersion}; false when it is not. */
  boolean update(TopicRule rule, long expectedVersion);

  boolean delete(TenantId tenant, String id);
}
