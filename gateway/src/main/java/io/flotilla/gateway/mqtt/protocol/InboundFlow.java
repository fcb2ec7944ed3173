package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.gateway.mqtt.DisconnectReason;
import io.flotilla.gateway.mqtt.PublishVerdict;
import io.flotilla.gateway.mqtt.session.Session;
import io.flotilla.gateway.mqtt.topic.Topics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * PUBLISH from a client and its QoS 1/2 handshake: topic aliases, authorization, routing, PUBACK,
 * PUBREC and PUBCOMP. QoS 2 is delivered onward on receipt and its packet id remembered until PUBREL
 * (MQTT 5 section 4.3.3, method A), so a re-sent PUBLISH with the same id is not delivered twice.
 */
final class InboundFlow {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InboundFlow.class);

  private final BrokerServices services;

  InboundFlow(BrokerServices services) {
    this.services = services;
  }

  static int packetId(MqttMessage msg) {
    return ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
  }

  static int reasonCode(MqttMessage msg) {
    return msg.variableHeader() instanceof MqttPubReplyMessageVariableHeader h ? h.reasonCode() & 0xFF : 0;
  }

  void onPublish(MqttConnection c, MqttPublishMessage msg) {
    if (!withinRate(c, msg)) {
      return;
    }
    MqttPublishVariableHeader vh = msg.variableHeader();
    int qos = msg.fixedHeader().qosLevel().value();
    int packetId = vh.packetId();
    String topic = c.isV5() ? resolveAlias(c, vh) : vh.topicName();
    if (topic == null) {
      return; // resolveAlias closed the connection
    }
    if (!Topics.isValidName(topic)) {
      c.closeWith(DisconnectReason.PROTOCOL_ERROR, ReasonCodes.TOPIC_NAME_INVALID, "Invalid topic name");
      return;
    }
    MqttProperties props = vh.properties();
    if (c.isV5() && (Props.has(props, MqttProperties.SUBSCRIPTION_IDENTIFIER) || !validResponseTopic(props))) {
      c.protocolError("subscription identifier or invalid response topic in PUBLISH"); // MQTT-3.3.4-6, 3.3.2-14
      return;
    }
    services.metrics.messageIn(qos);
    Session session = c.session;
    if (qos == 2) {
      if (session.receivedQos2().contains(packetId)) {
        c.sendAck(Packets.pubRec(packetId, 0, MqttProperties.NO_PROPERTIES)); // a re-sent PUBLISH: acknowledge only
        return;
      }
      if (session.receivedQos2().size() >= services.config.receiveMaximum()) {
        // MQTT-3.3.4-9: more unacknowledged QoS 2 messages than our receive maximum.
        c.closeWith(DisconnectReason.PROTOCOL_ERROR, ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED, "Receive maximum exceeded");
        return;
      }
    }
    boolean allowed = services.authorizer.mayPublish(c.identity, topic);
    if (allowed) {
      BrokerMessage message = message(topic, qos, msg, props);
      Optional<CompletionStage<PublishVerdict>> verdict = services.interceptor.intercept(c.identity, message, c.version);
      if (verdict.isPresent()) {
        awaitVerdict(c, message, packetId, verdict.get());
        return;
      }
      services.router.publish(c.identity.tenant(), message, c.clientId, c);
    } else {
      services.metrics.refused("publish");
    }
    // MQTT 3.1.1 cannot tell the client about a refusal: it gets a normal acknowledgement (MQTT-3.3.5-2).
    acknowledge(c, qos, packetId, allowed || !c.isV5() ? 0 : ReasonCodes.NOT_AUTHORIZED,
        "Not authorized to publish to " + topic);
  }

  private void acknowledge(MqttConnection c, int qos, int packetId, int code, String reason) {
    MqttProperties ackProps = code == 0 ? MqttProperties.NO_PROPERTIES : c.reasonString(reason, false);
    if (qos == 1) {
      c.sendAck(Packets.pubAck(packetId, code, ackProps));
    } else if (qos == 2) {
      if (code == 0) {
        c.session.receivedQos2().add(packetId);
      }
      c.sendAck(Packets.pubRec(packetId, code, ackProps));
    }
  }

  /**
   * An intercepted message: hold its acknowledgement's place until the verdict comes, and stop reading
   * from this client while the consumer is backed up.
   */
  private void awaitVerdict(MqttConnection c, BrokerMessage message, int packetId,
      CompletionStage<PublishVerdict> verdict) {
    int qos = message.qos();
    if (qos == 2) {
      c.session.receivedQos2().add(packetId); // a re-sent PUBLISH waits for this one's verdict, not a second one
    }
    MqttConnection.PendingAck slot = qos > 0 ? c.reserveAck() : null;
    verdict.whenComplete((v, error) -> c.ctx.executor().execute(() -> onVerdict(c, message, packetId, slot, v, error)));
    if (services.interceptor.saturated()) {
      c.pauseForConsumer(services.interceptor);
    }
  }

  private void onVerdict(MqttConnection c, BrokerMessage message, int packetId, MqttConnection.PendingAck slot,
      PublishVerdict verdict, Throwable error) {
    if (!c.isOpen()) {
      // The publisher left before its message was stored (a QoS 0 sender that disconnects at once, say):
      // a stored message still reaches subscribers; what was not acknowledged is resent on reconnect.
      if (error == null && verdict instanceof PublishVerdict.Accepted accepted && accepted.route()) {
        services.router.publish(c.identity.tenant(), message, c.clientId, c);
      }
      return;
    }
    if (error != null) {
      LOG.warn("Handling a message of {} failed", c.describe(), error);
      verdict = new PublishVerdict.Failed(ReasonCodes.UNSPECIFIED_ERROR, "Internal error");
    }
    int qos = message.qos();
    int code;
    String reason = null;
    switch (verdict) {
      case PublishVerdict.Accepted accepted -> {
        if (accepted.route()) {
          services.router.publish(c.identity.tenant(), message, c.clientId, c);
        }
        code = 0;
      }
      case PublishVerdict.Refused refused -> {
        services.metrics.refused("payload");
        code = c.isV5() ? refused.reasonCode() : 0; // MQTT 3.1.1: dropped and counted, acknowledged as usual
        reason = refused.reason();
      }
      case PublishVerdict.Failed failed -> {
        if (!c.isV5()) {
          LOG.info("Closing {} without acknowledging a message: {}", c.describe(), failed.reason());
          c.close(DisconnectReason.SERVER_UNAVAILABLE);
          return;
        }
        code = failed.reasonCode();
        reason = failed.reason();
      }
    }
    if (slot == null) {
      return;
    }
    if (qos == 2 && code != 0) {
      c.session.receivedQos2().release(packetId); // a refused QoS 2 flow ends with its PUBREC
    }
    MqttProperties ackProps = code == 0 ? MqttProperties.NO_PROPERTIES : c.reasonString(reason, false);
    c.completeAck(slot, qos == 1 ? Packets.pubAck(packetId, code, ackProps) : Packets.pubRec(packetId, code, ackProps));
  }

  /**
   * Charges the PUBLISH to the connection's rate limits: in debt, the connection stops reading for a
   * while (the packet itself is handled); far past them, it is closed and false returned.
   */
  private boolean withinRate(MqttConnection c, MqttPublishMessage msg) {
    if (!PublishRateLimiter.enabled(services.config)) {
      return true;
    }
    long now = System.nanoTime();
    if (c.rateLimiter == null) {
      c.rateLimiter = new PublishRateLimiter(services.config, now);
    }
    // The fixed header byte plus at least one length byte, then the rest.
    long pause = c.rateLimiter.charge(msg.fixedHeader().remainingLength() + 2L, now);
    if (pause == PublishRateLimiter.OVER_HARD_LIMIT) {
      services.metrics.rateDisconnected();
      LOG.info("Disconnecting {}: PUBLISH rate far above its limit of {} messages / {} bytes per second.",
          c.describe(), services.config.maxPublishRate(), services.config.maxPublishBytesRate());
      c.closeWith(DisconnectReason.RATE_LIMITED, ReasonCodes.MESSAGE_RATE_TOO_HIGH, "Message rate too high");
      return false;
    }
    if (pause > 0) {
      c.pauseReadingFor(pause);
    }
    return true;
  }

  void onPubRel(MqttConnection c, int packetId) {
    boolean known = c.session.receivedQos2().release(packetId);
    c.sendAck(Packets.pubComp(packetId, known || !c.isV5() ? 0 : ReasonCodes.PACKET_ID_NOT_FOUND));
  }

  /** The topic after applying an MQTT 5 topic alias; null after closing the connection for a bad alias. */
  private String resolveAlias(MqttConnection c, MqttPublishVariableHeader vh) {
    String topic = vh.topicName();
    long alias = Props.integer(vh.properties(), MqttProperties.TOPIC_ALIAS);
    if (alias < 0) {
      if (topic.isEmpty()) {
        c.protocolError("empty topic without topic alias");
        return null;
      }
      return topic;
    }
    int max = services.config.topicAliasMaximum();
    if (alias == 0 || alias > max) {
      // MQTT-3.3.2-9/10: an alias of 0 or above our topic alias maximum.
      c.closeWith(DisconnectReason.PROTOCOL_ERROR, ReasonCodes.TOPIC_ALIAS_INVALID, "Topic alias out of range");
      return null;
    }
    if (c.topicAliases == null) {
      c.topicAliases = new String[max + 1];
    }
    if (topic.isEmpty()) {
      String known = c.topicAliases[(int) alias];
      if (known == null) {
        c.protocolError("unknown topic alias " + alias);
      }
      return known;
    }
    c.topicAliases[(int) alias] = topic;
    return topic;
  }

  private static boolean validResponseTopic(MqttProperties props) {
    String responseTopic = Props.string(props, MqttProperties.RESPONSE_TOPIC);
    return responseTopic == null || Topics.isValidName(responseTopic);
  }

  private static BrokerMessage message(String topic, int qos, MqttPublishMessage msg, MqttProperties props) {
    ByteBuf content = msg.content();
    byte[] payload = ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), false);
    Instant now = Instant.now();
    if (props.isEmpty()) {
      return new BrokerMessage(topic, payload, qos, msg.fixedHeader().isRetain(), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), false, java.util.List.of(), now);
    }
    long expiry = Props.integer(props, MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
    return new BrokerMessage(topic, payload, qos, msg.fixedHeader().isRetain(),
        expiry < 0 ? Optional.empty() : Optional.of(now.plusSeconds(expiry)),
        Optional.ofNullable(Props.string(props, MqttProperties.CONTENT_TYPE)),
        Optional.ofNullable(Props.string(props, MqttProperties.RESPONSE_TOPIC)),
        Optional.ofNullable(Props.binary(props, MqttProperties.CORRELATION_DATA)),
        Props.integer(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR) == 1, Props.userProperties(props), now);
  }
}
