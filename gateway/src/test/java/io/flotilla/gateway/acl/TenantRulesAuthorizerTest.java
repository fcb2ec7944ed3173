package io.flotilla.gateway.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.acl.TopicAction;
import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.NamespaceAuthorizer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Devices get what their namespace gives them plus what their tenant's rules grant, and never more. */
class TenantRulesAuthorizerTest {
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private final Map<String, TenantTopicRules> rules = new HashMap<>();
  private final TenantRulesAuthorizer authorizer = new TenantRulesAuthorizer(new NamespaceAuthorizer(),
      tenant -> rules.getOrDefault(tenant, TenantTopicRules.EMPTY));
  private final ClientIdentity pumpA = ClientIdentity.device("acme", "A", "pump");
  private final ClientIdentity pumpB = ClientIdentity.device("acme", "B", "pump");
  private final ClientIdentity valve = ClientIdentity.device("acme", "V", "valve");

  private static TopicRule rule(String tenant, String id, String filter, Set<TopicAction> actions,
      Optional<String> profile) {
    return new TopicRule(new TenantId(tenant), id, "", filter, actions, profile, T0, T0, 1);
  }

  private void given(String tenant, TopicRule... list) {
    rules.put(tenant, TenantTopicRules.of(List.of(list)));
  }

  @Test
  void withoutRulesADeviceStaysInItsNamespace() {
    assertThat(authorizer.mayPublish(pumpA, "devices/A/telemetry")).isTrue();
    assertThat(authorizer.mayPublish(pumpA, "fleet/alerts")).isFalse();
    assertThat(authorizer.maySubscribe(pumpA, "fleet/alerts")).isFalse();
  }

  /** A publish rule grants publishing to matching topics only, and not subscribing. */
  @Test
  void publishRuleGrantsMatchingTopicsOnly() {
    given("acme", rule("acme", "alerts", "fleet/alerts/#", Set.of(TopicAction.PUBLISH), Optional.empty()));
    assertThat(authorizer.mayPublish(pumpA, "fleet/alerts")).isTrue();
    assertThat(authorizer.mayPublish(valve, "fleet/alerts/fire")).isTrue();
    assertThat(authorizer.mayPublish(pumpA, "fleet/other")).isFalse();
    assertThat(authorizer.maySubscribe(pumpA, "fleet/alerts/#")).isFalse();
  }

  /** A subscribe rule grants filters it covers, not wider ones. */
  @Test
  void subscribeRuleGrantsCoveredFiltersOnly() {
    given("acme", rule("acme", "cfg", "config/+/firmware", Set.of(TopicAction.SUBSCRIBE), Optional.empty()));
    assertThat(authorizer.maySubscribe(pumpA, "config/eu/firmware")).isTrue();
    assertThat(authorizer.maySubscribe(pumpA, "config/+/firmware")).isTrue();
    assertThat(authorizer.maySubscribe(pumpA, "config/#")).isFalse();
    assertThat(authorizer.maySubscribe(pumpA, "config/eu/+")).isFalse();
    assertThat(authorizer.mayPublish(pumpA, "config/eu/firmware")).isFalse();
  }

  /** A profile-scoped rule applies to that profile's devices only (and not to a device whose profile is unknown). */
  @Test
  void profileRuleAppliesToItsProfileOnly() {
    given("acme", rule("acme", "pumps", "pumps/#", Set.of(TopicAction.PUBLISH, TopicAction.SUBSCRIBE),
        Optional.of("pump")));
    assertThat(authorizer.mayPublish(pumpA, "pumps/pressure")).isTrue();
    assertThat(authorizer.maySubscribe(pumpB, "pumps/#")).isTrue();
    assertThat(authorizer.mayPublish(valve, "pumps/pressure")).isFalse();
    assertThat(authorizer.mayPublish(ClientIdentity.device("acme", "X"), "pumps/pressure")).isFalse();
  }

  /** {deviceId} gives each device its own slot: A uses status/A, not status/B. */
  @Test
  void deviceIdRuleGivesEachDeviceItsOwnTopics() {
    given("acme", rule("acme", "status", "status/{deviceId}", Set.of(TopicAction.PUBLISH, TopicAction.SUBSCRIBE),
        Optional.empty()));
    assertThat(authorizer.mayPublish(pumpA, "status/A")).isTrue();
    assertThat(authorizer.mayPublish(pumpA, "status/B")).isFalse();
    assertThat(authorizer.mayPublish(pumpB, "status/B")).isTrue();
    assertThat(authorizer.maySubscribe(pumpA, "status/A")).isTrue();
    assertThat(authorizer.maySubscribe(pumpA, "status/+")).isFalse();
  }

  /** Rules are per tenant: tenant B's rule does nothing for tenant A's device of the same id and profile. */
  @Test
  void anotherTenantsRulesDoNotApply() {
    given("globex", rule("globex", "all", "fleet/#", Set.of(TopicAction.PUBLISH, TopicAction.SUBSCRIBE),
        Optional.empty()));
    assertThat(authorizer.mayPublish(pumpA, "fleet/alerts")).isFalse();
    assertThat(authorizer.mayPublish(ClientIdentity.device("globex", "A", "pump"), "fleet/alerts")).isTrue();
  }

  /**
   * Even a rule that slipped past validation (a device named "devices" under a {deviceId}-first filter, which
   * the model refuses) never opens another device's namespace or system topics.
   */
  @Test
  void noRuleOpensDeviceNamespacesOrSystemTopics() {
    given("acme", rule("acme", "wide", "x/#", Set.of(TopicAction.PUBLISH, TopicAction.SUBSCRIBE),
        Optional.empty()));
    TenantTopicRules wide = rules.get("acme");
    TenantRulesAuthorizer permissive = new TenantRulesAuthorizer(new NamespaceAuthorizer(), t -> wide);
    assertThat(permissive.mayPublish(pumpA, "devices/B/commands")).isFalse();
    assertThat(permissive.maySubscribe(pumpA, "devices/+/telemetry")).isFalse();
    assertThat(permissive.maySubscribe(pumpA, "#")).isFalse();
    assertThat(permissive.maySubscribe(pumpA, "+/x")).isFalse();
    assertThat(permissive.mayPublish(pumpA, "$SYS/x")).isFalse();
    assertThat(permissive.mayPublish(pumpA, "x/y")).isTrue();
  }

  /** Applications, read-only applications and anonymous clients keep the namespace rules exactly. */
  @Test
  void otherClientsAreJudgedByTheNamespaceRulesAlone() {
    given("acme", rule("acme", "all", "fleet/#", Set.of(TopicAction.PUBLISH, TopicAction.SUBSCRIBE),
        Optional.empty()));
    ClientIdentity viewer = ClientIdentity.readOnlyApplication("acme", "user:v/token:t");
    assertThat(authorizer.mayPublish(viewer, "fleet/alerts")).isFalse();
    assertThat(authorizer.maySubscribe(viewer, "#")).isTrue();
    assertThat(authorizer.mayPublish(ClientIdentity.application("acme", "app"), "devices/A/commands")).isTrue();
    assertThat(authorizer.mayPublish(ClientIdentity.anonymous("acme"), "devices/A/x")).isFalse();
  }
}
