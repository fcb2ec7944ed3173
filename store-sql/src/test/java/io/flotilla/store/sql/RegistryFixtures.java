package io.flotilla.store.sql;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.ApiToken;
import io.flotilla.core.access.Role;
import io.flotilla.core.access.User;
import io.flotilla.core.device.DataClass;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCursor;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.group.DeviceGroup;
import io.flotilla.core.group.GroupType;
import io.flotilla.core.tenant.Tenant;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Entities for store tests, with fixed times at whole milliseconds (the stores keep milliseconds). */
public final class RegistryFixtures {
  public static final TenantId ACME = new TenantId("acme");
  public static final TenantId GLOBEX = new TenantId("globex");
  public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private RegistryFixtures() {}

  public static Tenant tenant(TenantId id) {
    return new Tenant(id, "Tenant " + id, T0, T0, 1);
  }

  public static User user(TenantId tenant, String id) {
    return new User(tenant, id, "User " + id, Role.OPERATOR, false, T0, T0, 1);
  }

  public static ApiToken token(TenantId tenant, String id, String userId, Instant createdAt) {
    return new ApiToken(tenant, id, userId, "token " + id, Role.VIEWER, "hash-of-" + tenant + "-" + id, createdAt,
        Optional.empty(), Optional.empty());
  }

  /** A profile with every field set, a retention of its own included. */
  public static DeviceProfile profile(TenantId tenant, String id) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("type", "object").putObject("properties").putObject("temp").put("type", "number");
    ObjectNode twin = JsonNodeFactory.instance.objectNode();
    twin.putObject("desired").put("interval", 60);
    return new DeviceProfile(tenant, id, "Profile " + id, "a profile", Optional.of(schema), twin,
        Map.of("location.lat", DataClass.PII, "temp", DataClass.OPERATIONAL),
        Optional.of(new RetentionPolicy(7, 60, 400)), T0, T0, 1);
  }

  public static Device device(TenantId tenant, String id) {
    return device(tenant, id, "Device " + id, "sensor", DeviceStatus.ACTIVE, Map.of("site", "berlin"), T0);
  }

  public static Device device(TenantId tenant, String id, String name, String profile, DeviceStatus status,
      Map<String, String> tags, Instant createdAt) {
    ObjectNode attributes = JsonNodeFactory.instance.objectNode();
    attributes.put("serial", "SN-" + id).putObject("hardware").put("revision", 3);
    return new Device(tenant, new DeviceId(id), name, profile, status, tags, attributes, createdAt, createdAt, 1);
  }

  /** The device as a service would store it after a change: new fields, next version. */
  public static Device changed(Device device, String name, DeviceStatus status, Map<String, String> tags,
      Instant updatedAt) {
    return new Device(device.tenant(), device.id(), name, device.profile(), status, tags, device.attributes(),
        device.createdAt(), updatedAt, device.version() + 1);
  }

  public static DeviceGroup staticGroup(TenantId tenant, String id) {
    return new DeviceGroup(tenant, id, "Group " + id, "", GroupType.STATIC, Optional.empty(), T0, T0, 1);
  }

  public static DeviceGroup dynamicGroup(TenantId tenant, String id, DeviceFilter filter) {
    return new DeviceGroup(tenant, id, "Group " + id, "matches a filter", GroupType.DYNAMIC, Optional.of(filter),
        T0, T0, 1);
  }

  public static DeviceFilter byProfile(String profile) {
    return new DeviceFilter(Optional.of(profile), Optional.empty(), Map.of(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  public static DeviceFilter byStatus(DeviceStatus status) {
    return new DeviceFilter(Optional.empty(), Optional.of(status), Map.of(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  public static DeviceFilter byTags(Map<String, String> tags) {
    return new DeviceFilter(Optional.empty(), Optional.empty(), tags, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  public static DeviceFilter memberOf(String group) {
    return new DeviceFilter(Optional.empty(), Optional.empty(), Map.of(), Optional.of(group), Optional.empty(),
        Optional.empty());
  }

  public static DeviceFilter byIdPrefix(String prefix) {
    return new DeviceFilter(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.of(prefix),
        Optional.empty());
  }

  public static DeviceFilter byOnline(boolean online) {
    return new DeviceFilter(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.empty(),
        Optional.of(online));
  }

  /** The cursor a service hands out after {@code last}, passed through its wire form. */
  public static DeviceCursor cursorAfter(Device last, DeviceSort sort) {
    String value = switch (sort.field()) {
      case ID -> last.id().value();
      case CREATED_AT -> Long.toString(last.createdAt().toEpochMilli());
      case UPDATED_AT -> Long.toString(last.updatedAt().toEpochMilli());
      case NAME -> last.name();
      case STATUS -> last.status().wireName();
      case PROFILE -> last.profile();
    };
    return DeviceCursor.decode(new DeviceCursor(sort, value, last.id().value()).encode(), sort);
  }
}
