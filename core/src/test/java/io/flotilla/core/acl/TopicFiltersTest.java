package io.flotilla.core.acl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MQTT filter matching, and the filter-covers-filter relation the gateway uses to judge subscriptions. */
class TopicFiltersTest {

  /** Matching follows MQTT 5 section 4.7: '+' is one level (possibly empty), '#' the rest including the parent. */
  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
      "fleet/alerts,     fleet/alerts,       true",
      "fleet/alerts,     fleet/alerts/x,     false",
      "fleet/alerts,     fleet,              false",
      "fleet/+,          fleet/alerts,       true",
      "fleet/+,          fleet/,             true",
      "fleet/+,          fleet,              false",
      "fleet/+,          fleet/a/b,          false",
      "fleet/#,          fleet,              true",
      "fleet/#,          fleet/a/b/c,        true",
      "fleet/#,          fleetx/a,           false",
      "+/+,              a/b,                true",
      "#,                a/b,                true",
      "#,                $SYS/x,             false",
      "+/x,              $SYS/x,             false",
      "$SYS/#,           $SYS/x,             true",
      "a//b,             a//b,               true",
      "a/+/b,            a//b,               true",
  })
  void filterMatchesTopic(String filter, String topic, boolean expected) {
    assertThat(TopicFilters.matches(filter, topic)).isEqualTo(expected);
  }

  /** A filter covers another when it matches every topic the other can match, and only then. */
  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
      "a/b,      a/b,        true",
      "a/b,      a/+,        false",
      "a/b,      a/#,        false",
      "a/+,      a/b,        true",
      "a/+,      a/+,        true",
      "a/+,      a/#,        false",
      "a/+,      a,          false",
      "a/+,      a/b/c,      false",
      "a/+,      a/+/c,      false",
      "a/#,      a,          true",
      "a/#,      a/#,        true",
      "a/#,      a/b/#,      true",
      "a/#,      a/+/c,      true",
      "a/#,      b/#,        false",
      "a/#,      +/b,        false",
      "a/#,      #,          false",
      "a/b/#,    a/#,        false",
      "a/b/#,    a/b,        true",
      "a/+/#,    a/#,        false",
      "a/+/#,    a/b,        true",
      "a/+/#,    a,          false",
      "a/+/#,    a/b/c/d,    true",
      "a/+/c,    a/+/c,      true",
      "a/+/c,    a/b/+,      false",
      "+/#,      #,          true",
      "#,        #,          true",
      "#,        +/+/x,      true",
      "#,        $SYS/#,     false",
      "+,        #,          false",
      "a/b/c,    a/b,        false",
      "a/b,      a/b/c,      false",
  })
  void filterCoversFilter(String outer, String inner, boolean expected) {
    assertThat(TopicFilters.covers(outer, inner)).isEqualTo(expected);
  }

  /**
   * Covers agrees with matching on concrete topics: whenever outer covers inner, every sample topic inner
   * matches is matched by outer; and when it does not, some sample proves it (over a small universe).
   */
  @Test
  void coversAgreesWithMatchingOverASmallUniverse() {
    String[] filters = {"a", "b", "a/b", "a/c", "a/+", "+/b", "a/#", "#", "+", "+/+", "a/b/c", "a/+/c", "a/b/#",
        "+/#", "a/+/#", "a/", "a//b", "+/b/#"};
    String[] topics = {"a", "b", "a/b", "a/c", "b/b", "a/b/c", "a/c/c", "a/b/c/d", "a/", "a//b", "/b", "x/y/z",
        "a/x/c", "b/b/b"};
    for (String outer : filters) {
      for (String inner : filters) {
        boolean sampled = true;
        for (String topic : topics) {
          if (TopicFilters.matches(inner, topic) && !TopicFilters.matches(outer, topic)) {
            sampled = false;
          }
        }
        if (TopicFilters.covers(outer, inner)) {
          assertThat(sampled).as(outer + " covers " + inner + " but misses a topic").isTrue();
        }
      }
    }
  }

  @Test
  void levelsKeepEmptyLevels() {
    assertThat(TopicFilters.levels("a//b")).containsExactly("a", "", "b");
    assertThat(TopicFilters.levels("/")).containsExactly("", "");
    assertThat(TopicFilters.levels("a")).containsExactly("a");
  }
}
