package io.flotilla.store.sql;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of many device ids a table holds for a tenant, asked in chunks: SQLite allows at most 999 parameters
 * in one statement, and long IN lists plan badly on PostgreSQL.
 */
final class DeviceIdLookup {
  private static final int IDS_PER_QUERY = 500;

  private DeviceIdLookup() {
  }

  /** The ids of {@code ids} found in {@code table}, whose tenant column is {@code tenant_id}. */
  static Set<DeviceId> existing(JdbcSession sql, String table, String idColumn, TenantId tenant,
      Collection<DeviceId> ids) {
    List<String> distinct = ids.stream().map(DeviceId::value).distinct().toList();
    Set<DeviceId> found = new HashSet<>();
    for (int from = 0; from < distinct.size(); from += IDS_PER_QUERY) {
      List<String> chunk = distinct.subList(from, Math.min(from + IDS_PER_QUERY, distinct.size()));
      List<Object> params = new ArrayList<>(chunk.size() + 1);
      params.add(tenant.value());
      params.addAll(chunk);
      String marks = chunk.stream().map(id -> "?").collect(Collectors.joining(", "));
      sql.each("SELECT " + idColumn + " FROM " + table + " WHERE tenant_id = ? AND " + idColumn + " IN (" + marks
          + ")", row -> new DeviceId(row.getString(1)), found::add, params.toArray());
    }
    return found;
  }
}
