package io.flotilla.store.timeseries;

import io.flotilla.core.paging.Page;
import io.flotilla.core.telemetry.RawQuery;
import io.flotilla.core.telemetry.TelemetryPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Raw points of one device a page at a time, ordered by (time, key, received time, point number), with a
 * keyset cursor on those four: points that arrive between pages never shift a page, and points equal in the
 * first three (a device repeating a key within one millisecond) are neither skipped nor repeated.
 */
final class RawPages {
  private static final String TAG = "raw2";

  private RawPages() {
  }

  static Page<TelemetryPoint> page(Connection connection, RawQuery query) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT device_id, profile_id, key, time_us, received_us, seq, ")
        .append(ValueColumns.NAMES)
        .append(" FROM telemetry_points WHERE tenant = ? AND device_id = ? AND time_us >= ? AND time_us < ?");
    List<String> keys = new ArrayList<>(query.keys());
    Collections.sort(keys);
    if (!keys.isEmpty()) {
      sql.append(" AND key IN (").append(String.join(", ", Collections.nCopies(keys.size(), "?"))).append(')');
    }
    Optional<List<String>> after = query.cursor().map(c -> Cursors.decode(c, TAG, 4));
    if (after.isPresent()) {
      sql.append(" AND time_us >= ? AND (time_us > ? OR (time_us = ? AND (key > ? OR (key = ? AND (received_us > ?")
          .append(" OR (received_us = ? AND seq > ?))))))");
    }
    sql.append(" ORDER BY time_us, key, received_us, seq LIMIT ?");
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      int i = 1;
      statement.setString(i++, query.tenant().value());
      statement.setString(i++, query.deviceId());
      statement.setLong(i++, EpochMicros.of(query.from()));
      statement.setLong(i++, EpochMicros.of(query.to()));
      for (String key : keys) {
        statement.setString(i++, key);
      }
      if (after.isPresent()) {
        long time = Cursors.number(after.get().get(0));
        long received = Cursors.number(after.get().get(1));
        String key = after.get().get(2);
        long seq = Cursors.number(after.get().get(3));
        statement.setLong(i++, time);
        statement.setLong(i++, time);
        statement.setLong(i++, time);
        statement.setString(i++, key);
        statement.setString(i++, key);
        statement.setLong(i++, received);
        statement.setLong(i++, received);
        statement.setLong(i++, seq);
      }
      statement.setInt(i, query.limit() + 1);
      List<TelemetryPoint> points = new ArrayList<>();
      long lastSeq = 0;
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          if (points.size() < query.limit()) {
            lastSeq = rs.getLong(6);
          }
          points.add(new TelemetryPoint(query.tenant(), rs.getString(1), rs.getString(2), rs.getString(3),
              EpochMicros.toInstant(rs.getLong(4)), EpochMicros.toInstant(rs.getLong(5)), ValueColumns.read(rs, 7)));
        }
      }
      if (points.size() <= query.limit()) {
        return new Page<>(points, Optional.empty());
      }
      TelemetryPoint last = points.get(query.limit() - 1);
      String next = Cursors.encode(TAG, Long.toString(EpochMicros.of(last.time())),
          Long.toString(EpochMicros.of(last.receivedAt())), last.key(), Long.toString(lastSeq));
      return new Page<>(points.subList(0, query.limit()), Optional.of(next));
    }
  }
}
