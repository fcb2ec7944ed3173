package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.telemetry.TelemetryStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queries on a small DuckDB store: right answers pass, and a store that answers wrongly fails the run. */
class QueryCasesTest {
  private static final QueryDataSet DATA = QueryDataSet.endingYesterday(120_000, 1000, 1);
  private static QueryScratchStore scratch;

  @BeforeAll
  static void load() {
    scratch = QueryScratchStore.duckDb(Optional.empty());
    QueryLoad load = new QueryWorkload(new QueryWorkload.Settings(0, 1, 50_000), new PrintWriter(new StringWriter()))
        .load("duckdb", scratch.store(), DATA);
    assertThat(load.points()).isEqualTo(120_000);
    assertThat(load.diskBytes()).isPositive();
  }

  @AfterAll
  static void delete() {
    scratch.close();
  }

  /** Every query of a correct store passes its check and returns the rows the data set implies. */
  @Test
  void aCorrectStorePassesEveryCheck() {
    QueryCases cases = new QueryCases(scratch.store(), DATA);
    assertThat(cases.deviceDay(0).rows()).isEqualTo(1440 * 4);
    assertThat(cases.latest(0).rows()).isEqualTo(1000 * 4);
    assertThat(cases.fleet(1).rows()).isEqualTo(20 * 24);
    assertThat(cases.rawHour(0).rows()).isEqualTo(360 * 4);
    assertThat(cases.deviceDay(1).nanos()).isPositive();
  }

  /** A store that loses one bucket, or one device's latest values, is caught: its figures would be worthless. */
  @Test
  void aStoreThatAnswersWronglyFails() {
    QueryCases lostBucket = new QueryCases(lying("buckets", list -> list.subList(0, list.size() - 1)), DATA);
    assertThatThrownBy(() -> lostBucket.deviceDay(0)).isInstanceOf(QueryWrongAnswer.class)
        .hasMessageContaining("5,760 rows expected, 5,759 returned");
    QueryCases lostDevice = new QueryCases(lying("latest", list -> list.subList(4, list.size())), DATA);
    assertThatThrownBy(() -> lostDevice.latest(0)).isInstanceOf(QueryWrongAnswer.class)
        .hasMessageContaining("4,000 rows expected, 3,996 returned");
  }

  /** The real store, but {@code method}'s answers changed by {@code change}. */
  private static TelemetryStore lying(String method, UnaryOperator<List<?>> change) {
    TelemetryStore real = scratch.store();
    return (TelemetryStore) Proxy.newProxyInstance(TelemetryStore.class.getClassLoader(),
        new Class<?>[] {TelemetryStore.class}, (proxy, m, args) -> {
          Object answer = m.invoke(real, args);
          return m.getName().equals(method) ? change.apply((List<?>) answer) : answer;
        });
  }
}
