package io.flotilla.store.sql;

import io.flotilla.core.Identifiers;
import io.flotilla.core.device.DeviceCursor;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The WHERE and ORDER BY of a device list or count, over {@code devices d}, with its parameters. */
final class DeviceConditions {
  private final StringBuilder where = new StringBuilder(" WHERE d.tenant_id = ?");
  private final List<Object> params = new ArrayList<>();

  private DeviceConditions(TenantId tenant) {
    params.add(tenant.value());
  }

  static DeviceConditions matching(TenantId tenant, List<DeviceFilter> filters) {
    DeviceConditions conditions = new DeviceConditions(tenant);
    filters.forEach(conditions::add);
    return conditions;
  }

  String where() {
    return where.toString();
  }

  Object[] params() {
    return params.toArray();
  }

  /** Keeps only rows strictly after the cursor in {@code sort} order. */
  DeviceConditions after(DeviceSort sort, DeviceCursor cursor) {
    if (!cursor.sort().equals(sort)) {
      throw new IllegalArgumentException("the cursor is for sort " + cursor.sort().wireName()
          + " but the list is sorted by " + sort.wireName());
    }
    String comparison = sort.descending() ? " < " : " > ";
    if (sort.field() == DeviceSort.Field.ID) {
      return condition("d.id" + comparison + "?", cursor.lastId());
    }
    return condition("(" + column(sort.field()) + ", d.id)" + comparison + "(?, ?)",
        sortValue(sort.field(), cursor.sortValue()), cursor.lastId());
  }

  static String orderBy(DeviceSort sort) {
    String direction = sort.descending() ? " DESC" : "";
    return sort.field() == DeviceSort.Field.ID ? " ORDER BY d.id" + direction
        : " ORDER BY " + column(sort.field()) + direction + ", d.id" + direction;
  }

  private void add(DeviceFilter filter) {
    filter.profile().ifPresent(profile -> condition("d.profile = ?", profile));
    filter.status().ifPresent(status -> condition("d.status = ?", status.wireName()));
    for (Map.Entry<String, String> tag : filter.tags().entrySet()) {
      condition("EXISTS (SELECT 1 FROM device_tags t WHERE t.tenant_id = d.tenant_id AND t.device_id = d.id "
          + "AND t.key = ? AND t.value = ?)", tag.getKey(), tag.getValue());
    }
    filter.memberOf().ifPresent(group -> condition("EXISTS (SELECT 1 FROM group_members m "
        + "WHERE m.tenant_id = d.tenant_id AND m.group_id = ? AND m.device_id = d.id)", group));
    filter.idPrefix().filter(prefix -> !prefix.isEmpty()).ifPresent(this::idPrefix);
    // NOT EXISTS, not "online = FALSE": a device that never connected has no row and is offline too.
    filter.online().ifPresent(online -> condition((online ? "" : "NOT ") + "EXISTS (SELECT 1 FROM device_connections c "
        + "WHERE c.tenant_id = d.tenant_id AND c.device_id = d.id AND c.online = TRUE)"));
  }

  // A range instead of LIKE: it uses the primary key on both engines, and SQLite's LIKE ignores case.
  // Ids use only ASCII characters below '~', so incrementing the last character bounds the range exactly.
  private void idPrefix(String prefix) {
    if (!Identifiers.isEntityId(prefix)) {
      condition("1 = 0");
      return;
    }
    char last = prefix.charAt(prefix.length() - 1);
    condition("d.id >= ? AND d.id < ?", prefix, prefix.substring(0, prefix.length() - 1) + (char) (last + 1));
  }

  private DeviceConditions condition(String sql, Object... values) {
    where.append(" AND ").append(sql);
    params.addAll(List.of(values));
    return this;
  }

  private static String column(DeviceSort.Field field) {
    return switch (field) {
      case ID -> "d.id";
      case CREATED_AT -> "d.created_at";
      case UPDATED_AT -> "d.updated_at";
      case NAME -> "d.name";
      case STATUS -> "d.status";
      case PROFILE -> "d.profile";
    };
  }

  private static Object sortValue(DeviceSort.Field field, String value) {
    if (field != DeviceSort.Field.CREATED_AT && field != DeviceSort.Field.UPDATED_AT) {
      return value;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ValidationException("cursor", "is not a cursor this server issued; pass nextCursor from a previous page");
    }
  }
}
