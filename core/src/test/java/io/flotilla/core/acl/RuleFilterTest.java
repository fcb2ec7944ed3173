package io.flotilla.core.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.error.ValidationException;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a topic rule's filter may be, and how {deviceId} is put in for the asking device. */
class RuleFilterTest {

  @ParameterizedTest
  @ValueSource(strings = {"fleet/alerts", "fleet/#", "sites/+/status/{deviceId}", "status/{deviceId}/#", "a",
      "/leading/slash", "a//b", "fleet/+", "devicesX/y", "x/devices/y", "x/$y"})
  void ordinaryFiltersAreAccepted(String filter) {
    assertThat(RuleFilter.problem(filter)).isEmpty();
    assertThat(RuleFilter.parse(filter).text()).isEqualTo(filter);
  }

  /** Platform namespaces, system topics and first-level wildcards are refused on field topicFilter, saying why. */
  @ParameterizedTest
  @ValueSource(strings = {"devices/#", "devices", "devices/d1/telemetry", "devices/{deviceId}/x", "#", "+",
      "+/alerts", "#/x", "$SYS/#", "$share/g/fleet", "{deviceId}/status"})
  void filtersReachingBeyondOrdinaryTopicsAreRefused(String filter) {
    assertThatThrownBy(() -> RuleFilter.parse(filter)).isInstanceOfSatisfying(ValidationException.class, e -> {
      assertThat(e.errors()).hasSize(1);
      assertThat(e.errors().get(0).field()).isEqualTo("topicFilter");
    });
  }

  @Test
  void refusalsSayWhy() {
    assertThat(RuleFilter.problem("devices/#")).get().asString().contains("device namespaces");
    assertThat(RuleFilter.problem("#")).get().asString().contains("wildcard");
    assertThat(RuleFilter.problem("$SYS/x")).get().asString().contains("system topic");
    assertThat(RuleFilter.problem("")).get().asString().contains("required");
  }

  /** Malformed MQTT filters are refused: wildcards inside a level, '#' before the end, stray braces, NUL. */
  @ParameterizedTest
  @ValueSource(strings = {"fleet/a#", "fleet/#/x", "fleet/a+", "fleet/+x", "fleet/{deviceid}", "fleet/x{deviceId}",
      "fleet/{other}", "fleet/\u0000", "fleet/\n"})
  void malformedFiltersAreRefused(String filter) {
    assertThat(RuleFilter.problem(filter)).isPresent();
  }

  @Test
  void overlongFilterIsRefused() {
    assertThat(RuleFilter.problem("a/" + "x".repeat(RuleFilter.MAX_LENGTH))).get().asString().contains("at most");
  }

  /** {deviceId} becomes the asking device's id, wherever it stands; other levels stay. */
  @Test
  void deviceIdIsSubstituted() {
    RuleFilter filter = RuleFilter.parse("sites/+/status/{deviceId}");
    assertThat(filter.usesDeviceId()).isTrue();
    assertThat(filter.forDevice("pump-1")).contains("sites/+/status/pump-1");
    assertThat(RuleFilter.parse("a/{deviceId}/b/{deviceId}").forDevice("d")).contains("a/d/b/d");
    assertThat(RuleFilter.parse("fleet/#").forDevice("d")).contains("fleet/#");
  }

  /** An id that could not be one topic level makes a {deviceId} rule grant nothing, rather than widen it. */
  @Test
  void deviceIdsThatAreNotOneLevelGetNothing() {
    RuleFilter filter = RuleFilter.parse("status/{deviceId}");
    assertThat(filter.forDevice("a/b")).isEmpty();
    assertThat(filter.forDevice("+")).isEmpty();
    assertThat(filter.forDevice("#")).isEmpty();
    assertThat(filter.forDevice("")).isEmpty();
    assertThat(filter.matches(TopicFilters.levels("status/+"), "+")).isFalse();
  }

  @Test
  void matchAndCoverUseTheDevicesOwnId() {
    RuleFilter filter = RuleFilter.parse("status/{deviceId}/#");
    assertThat(filter.matches(TopicFilters.levels("status/A/battery"), "A")).isTrue();
    assertThat(filter.matches(TopicFilters.levels("status/B/battery"), "A")).isFalse();
    assertThat(filter.covers(TopicFilters.levels("status/A/+"), "A")).isTrue();
    assertThat(filter.covers(TopicFilters.levels("status/+/battery"), "A")).isFalse();
    assertThat(filter.covers(TopicFilters.levels("status/#"), "A")).isFalse();
  }

  /** A rule is validated when built: its filter and its actions. */
  @Test
  void topicRuleRefusesABadFilterAndNoActions() {
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    TenantId acme = new TenantId("acme");
    assertThatThrownBy(() -> new TopicRule(acme, "r", "", "devices/#", Set.of(TopicAction.PUBLISH), Optional.empty(),
        t, t, 1)).isInstanceOf(ValidationException.class).hasMessageContaining("topicFilter");
    assertThatThrownBy(() -> new TopicRule(acme, "r", "", "fleet", Set.of(), Optional.empty(), t, t, 1))
        .isInstanceOf(ValidationException.class).hasMessageContaining("actions");
    TopicRule scoped = new TopicRule(acme, "r", "", "fleet", Set.of(TopicAction.PUBLISH), Optional.of("pump"), t, t,
        1);
    assertThat(scoped.appliesToProfile(Optional.of("pump"))).isTrue();
    assertThat(scoped.appliesToProfile(Optional.of("valve"))).isFalse();
    assertThat(scoped.appliesToProfile(Optional.empty())).isFalse();
    assertThat(scoped.allows(TopicAction.SUBSCRIBE)).isFalse();
  }
}
