package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.Tier;

/**
 * Where a tier's aggregates come from: raw points (numeric ones only), or a rollup table whose rows carry
 * count, sum, min, max and the first and last values with their times. The aggregate columns are selected
 * in {@link Aggregate} order, all as DOUBLE PRECISION.
 */
record AggregateSource(String table, String timeColumn, String filter, String[] expressions) {

  static AggregateSource of(Tier tier, SqlDialect dialect) {
    return switch (tier) {
      case RAW -> new AggregateSource("telemetry_points", "time_us", " AND kind = " + ValueColumns.NUMBER,
          new String[] {"avg(value_num)", "min(value_num)", "max(value_num)", "sum(value_num)", "count(*)",
              dialect.firstBy("value_num", "time_us"), dialect.lastBy("value_num", "time_us")});
      case MINUTE, HOUR -> new AggregateSource(Rollups.table(tier), "bucket_us", "",
          new String[] {"sum(sum_num) / CAST(sum(count_num) AS DOUBLE PRECISION)", "min(min_num)", "max(max_num)",
              "sum(sum_num)", "sum(count_num)", dialect.firstBy("first_num", "first_us"),
              dialect.lastBy("last_num", "last_us")});
    };
  }

  String expression(Aggregate aggregate) {
    return "CAST(" + expressions[aggregate.ordinal()] + " AS DOUBLE PRECISION)";
  }

  String allExpressions() {
    StringBuilder sql = new StringBuilder();
    for (Aggregate aggregate : Aggregate.values()) {
      sql.append(aggregate.ordinal() == 0 ? "" : ", ").append(expression(aggregate));
    }
    return sql.toString();
  }
}
