package io.flotilla.core.service;

import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.group.DeviceGroup;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.util.Map;
import java.util.Optional;

/** Turns "members of group G" into a device filter: membership for static groups, the group's filter for dynamic ones. */
final class GroupResolver {
  DeviceFilter filterFor(RegistryTx tx, TenantId tenant, String groupId) {
    DeviceGroup group = tx.groups().find(tenant, groupId)
        .orElseThrow(() -> new ValidationException("group", "no group '" + groupId + "' exists in this tenant"));
    return group.filter().orElseGet(() -> new DeviceFilter(Optional.empty(), Optional.empty(), Map.of(),
        Optional.of(group.id()), Optional.empty(), Optional.empty()));
  }
}
