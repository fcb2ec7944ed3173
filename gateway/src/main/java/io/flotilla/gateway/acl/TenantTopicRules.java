package io.flotilla.gateway.acl;

import io.flotilla.core.acl.RuleFilter;
import io.flotilla.core.acl.TopicAction;
import io.flotilla.core.acl.TopicRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One tenant's topic rules, parsed once and split by action, so that a check on the event loop only walks
 * the rules that could grant it. Immutable; the cache swaps a tenant's whole instance when its rules change.
 */
public final class TenantTopicRules {
  /** A tenant without rules: grants nothing. */
  public static final TenantTopicRules EMPTY = new TenantTopicRules(List.of(), List.of(), 0);

  private final List<Compiled> publish;
  private final List<Compiled> subscribe;
  private final int size;

  private TenantTopicRules(List<Compiled> publish, List<Compiled> subscribe, int size) {
    this.publish = publish;
    this.subscribe = subscribe;
    this.size = size;
  }

  /** One rule as the authorizer uses it. */
  private record Compiled(String id, RuleFilter filter, Optional<String> profile) {}

  public static TenantTopicRules of(List<TopicRule> rules) {
    if (rules.isEmpty()) {
      return EMPTY;
    }
    List<Compiled> publish = new ArrayList<>();
    List<Compiled> subscribe = new ArrayList<>();
    for (TopicRule rule : rules) {
      Compiled compiled = new Compiled(rule.id(), rule.filter(), rule.profileId());
      if (rule.allows(TopicAction.PUBLISH)) {
        publish.add(compiled);
      }
      if (rule.allows(TopicAction.SUBSCRIBE)) {
        subscribe.add(compiled);
      }
    }
    return new TenantTopicRules(List.copyOf(publish), List.copyOf(subscribe), rules.size());
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  /** Whether a rule for the device's profile (or for every device) has a filter matching the topic name. */
  public boolean grantsPublish(String deviceId, Optional<String> profile, String[] topicLevels) {
    for (Compiled rule : publish) {
      if (applies(rule, profile) && rule.filter().matches(topicLevels, deviceId)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a rule for the device's profile (or for every device) has a filter covering the requested filter. */
  public boolean grantsSubscribe(String deviceId, Optional<String> profile, String[] filterLevels) {
    for (Compiled rule : subscribe) {
      if (applies(rule, profile) && rule.filter().covers(filterLevels, deviceId)) {
        return true;
      }
    }
    return false;
  }

  private static boolean applies(Compiled rule, Optional<String> profile) {
    return rule.profile().isEmpty() || rule.profile().equals(profile);
  }
}
