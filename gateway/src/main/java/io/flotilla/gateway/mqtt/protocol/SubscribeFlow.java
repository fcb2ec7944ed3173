package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.core.broker.SubscriptionState;
import io.flotilla.gateway.mqtt.topic.TopicFilter;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SUBSCRIBE and UNSUBSCRIBE. An invalid or refused filter gets a failure code in SUBACK (0x8F / 0x87 on
 * MQTT 5, 0x80 on 3.1.1) while the other filters of the same packet proceed; retained messages follow
 * the SUBACK according to each subscription's retain handling.
 */
final class SubscribeFlow {

  private record Accepted(TopicFilter filter, SubscriptionState subscription) {
  }

  private final BrokerServices services;

  SubscribeFlow(BrokerServices services) {
    this.services = services;
  }

  void onSubscribe(MqttConnection c, MqttSubscribeMessage msg) {
    List<MqttTopicSubscription> requested = msg.payload().topicSubscriptions();
    if (requested.isEmpty()) {
      c.protocolError("SUBSCRIBE without topic filters"); // MQTT-3.8.3-3
      return;
    }
    boolean v5 = c.isV5();
    MqttProperties props = msg.idAndPropertiesVariableHeader().properties();
    long subscriptionId = v5 ? Props.integer(props, MqttProperties.SUBSCRIPTION_IDENTIFIER) : -1;
    if (subscriptionId == 0) {
      c.protocolError("subscription identifier 0"); // MQTT-3.8.2-? (value 0 is a protocol error)
      return;
    }
    int[] codes = new int[requested.size()];
    StringBuilder refusedFilters = null;
    List<Accepted> retainedToSend = new ArrayList<>(0);
    for (int i = 0; i < codes.length; i++) {
      MqttTopicSubscription t = requested.get(i);
      MqttSubscriptionOption o = t.option();
      Optional<TopicFilter> parsed = TopicFilter.parse(t.topicFilter());
      if (parsed.isEmpty()) {
        codes[i] = v5 ? ReasonCodes.TOPIC_FILTER_INVALID : ReasonCodes.V3_SUBSCRIPTION_FAILURE;
        continue;
      }
      TopicFilter filter = parsed.get();
      if (v5 && filter.isShared() && o.isNoLocal()) {
        c.protocolError("no-local on a shared subscription"); // MQTT-3.8.3-4
        return;
      }
      if (!services.authorizer.maySubscribe(c.identity, filter.filter())) {
        services.metrics.refused("subscribe");
        codes[i] = v5 ? ReasonCodes.NOT_AUTHORIZED : ReasonCodes.V3_SUBSCRIPTION_FAILURE;
        refusedFilters = (refusedFilters == null ? new StringBuilder("Not authorized to subscribe to ")
            : refusedFilters.append(", ")).append(filter.raw());
        continue;
      }
      int retainHandling = v5 ? o.retainHandling().value() : 0;
      SubscriptionState sub = new SubscriptionState(filter.raw(), o.qos().value(), v5 && o.isNoLocal(),
          v5 && o.isRetainAsPublished(), retainHandling,
          subscriptionId > 0 ? Optional.of((int) subscriptionId) : Optional.empty());
      boolean existed = c.session.subscribe(filter, sub);
      codes[i] = o.qos().value();
      if (retainHandling == 0 || (retainHandling == 1 && !existed)) {
        retainedToSend.add(new Accepted(filter, sub));
      }
    }
    MqttProperties ackProps = v5 && refusedFilters != null ? c.reasonString(refusedFilters.toString(), false)
        : MqttProperties.NO_PROPERTIES;
    c.send(Packets.subAck(msg.idAndPropertiesVariableHeader().messageId(), codes, ackProps));
    for (Accepted a : retainedToSend) {
      services.router.sendRetained(c.session, a.filter(), a.subscription());
    }
  }

  void onUnsubscribe(MqttConnection c, MqttUnsubscribeMessage msg) {
    List<String> filters = msg.payload().topics();
    if (filters.isEmpty()) {
      c.protocolError("UNSUBSCRIBE without topic filters"); // MQTT-3.10.3-2
      return;
    }
    short[] codes = new short[filters.size()];
    for (int i = 0; i < codes.length; i++) {
      Optional<TopicFilter> parsed = TopicFilter.parse(filters.get(i));
      if (parsed.isEmpty()) {
        codes[i] = ReasonCodes.TOPIC_FILTER_INVALID;
      } else {
        codes[i] = (short) (c.session.unsubscribe(parsed.get()) ? ReasonCodes.SUCCESS : ReasonCodes.NO_SUBSCRIPTION_EXISTED);
      }
    }
    c.send(Packets.unsubAck(msg.idAndPropertiesVariableHeader().messageId(), codes, MqttProperties.NO_PROPERTIES));
  }
}
