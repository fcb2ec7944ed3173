package io.flotilla.gateway.acl;

import io.flotilla.core.acl.TopicFilters;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.MqttAuthorizer;
import java.util.function.Function;

/**
 * The namespace rules, widened for devices by their tenant's topic rules. First the wrapped authorizer
 * (normally {@link io.flotilla.gateway.mqtt.auth.NamespaceAuthorizer}) decides; what it refuses a
 * {@link ClientIdentity.Kind#DEVICE DEVICE} may still do when a rule of its tenant, for every device or for
 * the device's profile, grants it: a publish when the rule's filter (with {@code {deviceId}} put in) matches
 * the topic, a subscription when the rule's filter covers the requested filter.
 *
 * <p>Whatever the rules say, nothing is granted under {@code devices/} (another device's namespace), in
 * {@code $…} topics, or by a filter starting with a wildcard. Applications and anonymous clients are judged by
 * the wrapped authorizer alone. Rules come from memory ({@code rulesOf}), so this never blocks the event loop;
 * a changed rule applies to the next publish or subscribe, while subscriptions made earlier stay.
 */
public final class TenantRulesAuthorizer implements MqttAuthorizer {
  private final MqttAuthorizer namespace;
  private final Function<String, TenantTopicRules> rulesOf;

  /**
   * @param rulesOf a tenant's rules by tenant id, answered from memory
   */
  public TenantRulesAuthorizer(MqttAuthorizer namespace, Function<String, TenantTopicRules> rulesOf) {
    this.namespace = namespace;
    this.rulesOf = rulesOf;
  }

  @Override
  public boolean mayPublish(ClientIdentity who, String topic) {
    if (namespace.mayPublish(who, topic)) {
      return true;
    }
    if (who.kind() != ClientIdentity.Kind.DEVICE) {
      return false;
    }
    TenantTopicRules rules = rulesOf.apply(who.tenant());
    if (rules.isEmpty()) {
      return false;
    }
    String[] levels = TopicFilters.levels(topic);
    return isOrdinary(levels[0]) && rules.grantsPublish(who.deviceId().orElseThrow(), who.profileId(), levels);
  }

  @Override
  public boolean maySubscribe(ClientIdentity who, String topicFilter) {
    if (namespace.maySubscribe(who, topicFilter)) {
      return true;
    }
    if (who.kind() != ClientIdentity.Kind.DEVICE) {
      return false;
    }
    TenantTopicRules rules = rulesOf.apply(who.tenant());
    if (rules.isEmpty()) {
      return false;
    }
    String[] levels = TopicFilters.levels(topicFilter);
    return isOrdinary(levels[0]) && rules.grantsSubscribe(who.deviceId().orElseThrow(), who.profileId(), levels);
  }

  /** A first level that no device namespace, system topic or first-level wildcard could be behind. */
  private static boolean isOrdinary(String firstLevel) {
    return !firstLevel.equals("devices") && !firstLevel.startsWith("$") && !TopicFilters.isWildcard(firstLevel);
  }
}
