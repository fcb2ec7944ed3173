package io.flotilla.core.acl;

import io.flotilla.core.error.ValidationException;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's grant of ordinary MQTT topics to its devices, on top of each device's own namespace
 * {@code devices/{deviceId}/#}.
 *
 * @param topicFilter an MQTT topic filter, checked by {@link RuleFilter#parse}; it may use {@code {deviceId}}
 *     as a whole level, which stands for the id of the device asking
 * @param actions what the rule allows: publishing to topics the filter matches, subscribing with filters it covers
 * @param profileId the device profile the rule applies to; empty means every device of the tenant
 */
public record TopicRule(TenantId tenant, String id, String description, String topicFilter,
    Set<TopicAction> actions, Optional<String> profileId, Instant createdAt, Instant updatedAt, long version) {
  public TopicRule {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(description, "description");
    RuleFilter.parse(Objects.requireNonNull(topicFilter, "topicFilter"));
    if (Objects.requireNonNull(actions, "actions").isEmpty()) {
      throw new ValidationException("actions", "must list at least one of publish, subscribe");
    }
    actions = Set.copyOf(EnumSet.copyOf(actions));
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The rule's filter, parsed. */
  public RuleFilter filter() {
    return RuleFilter.parse(topicFilter);
  }

  public boolean allows(TopicAction action) {
    return actions.contains(action);
  }

  /** Whether the rule applies to a device of {@code deviceProfile} (every device when the rule names no profile). */
  public boolean appliesToProfile(Optional<String> deviceProfile) {
    return profileId.isEmpty() || profileId.equals(deviceProfile);
  }
}
