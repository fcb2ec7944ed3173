package io.flotilla.gateway.mqtt.topic;

/**
 * One tenant's topic space: its subscriptions and its retained messages. Tenants never share one, so
 * no message, subscription or retained message can cross from one tenant to another.
 *
 * @param <S> the subscriber type
 */
public final class TenantSpace<S> {

  private final String tenant;
  private final TopicTree<S> subscriptions = new TopicTree<>();
  private final RetainedMessages retained = new RetainedMessages();

  public TenantSpace(String tenant) {
    this.tenant = tenant;
  }

  public String tenant() {
    return tenant;
  }

  public TopicTree<S> subscriptions() {
    return subscriptions;
  }

  public RetainedMessages retained() {
    return retained;
  }
}
