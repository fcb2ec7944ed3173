package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.gateway.mqtt.DisconnectReason;
import io.flotilla.gateway.mqtt.auth.AuthDecision;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ConnectInfo;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import io.flotilla.gateway.mqtt.auth.RefusalReason;
import io.flotilla.gateway.mqtt.session.Session;
import io.flotilla.gateway.mqtt.session.SessionKey;
import io.flotilla.gateway.mqtt.session.SessionRegistry;
import io.flotilla.gateway.mqtt.topic.Topics;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT to CONNACK, and the end of a connection. Checks the CONNECT, authenticates it off the event
 * loop (the authenticator may block), opens or takes over the session, answers CONNACK, starts the
 * keep-alive; at the end, detaches the session and publishes the will when the rules say so.
 */
final class ConnectFlow {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectFlow.class);

  /** What the CONNECT asked for, carried from the event loop to the authenticator and back. */
  private record Request(String clientId, boolean assignedId, boolean cleanStart, long sessionExpiry, int keepAlive,
      WillMessage will) {
  }

  private final BrokerServices services;

  ConnectFlow(BrokerServices services) {
    this.services = services;
  }

  void onConnect(MqttConnection c, MqttConnectMessage msg) {
    MqttConnectVariableHeader h = msg.variableHeader();
    MqttConnectPayload p = msg.payload();
    c.version = switch (h.version()) {
      case 3 -> ProtocolVersion.MQTT_3_1;
      case 5 -> ProtocolVersion.MQTT_5;
      default -> ProtocolVersion.MQTT_3_1_1;
    };
    boolean v5 = c.isV5();
    // MQTT-3.1.2-11/13/15: without a will, its QoS and retain flag must be 0; QoS 3 is malformed.
    if (h.willQos() > 2 || (!h.isWillFlag() && (h.willQos() != 0 || h.isWillRetain()))) {
      refuseMalformed(c, "will flags set without a will");
      return;
    }
    if (!v5 && h.hasPassword() && !h.hasUserName()) {
      refuseMalformed(c, "a password without a user name"); // MQTT-3.1.2-22
      return;
    }
    MqttProperties props = h.properties();
    long sessionExpiry;
    if (v5) {
      long receiveMaximum = Props.integer(props, MqttProperties.RECEIVE_MAXIMUM);
      long maxPacketSize = Props.integer(props, MqttProperties.MAXIMUM_PACKET_SIZE);
      if (receiveMaximum == 0 || maxPacketSize == 0) {
        refuse(c, ReasonCodes.PROTOCOL_ERROR, "protocol_error", "receive maximum or maximum packet size of 0");
        return;
      }
      if (Props.has(props, MqttProperties.AUTHENTICATION_METHOD)) {
        refuse(c, ReasonCodes.BAD_AUTHENTICATION_METHOD, "bad_authentication_method", "enhanced authentication");
        return;
      }
      c.sendWindow = (int) Math.min(services.config.maxInFlight(), receiveMaximum < 0 ? 65_535 : receiveMaximum);
      c.clientMaxPacketSize = maxPacketSize < 0 ? Integer.MAX_VALUE : maxPacketSize;
      c.problemInformation = Props.integer(props, MqttProperties.REQUEST_PROBLEM_INFORMATION) != 0;
      sessionExpiry = Math.max(0, Props.integer(props, MqttProperties.SESSION_EXPIRY_INTERVAL));
    } else {
      c.sendWindow = services.config.maxInFlight();
      // 3.1.1: a non-clean session lasts until the client cleans it (no expiry).
      sessionExpiry = h.isCleanSession() ? 0 : Session.NEVER_EXPIRES;
    }
    c.sessionExpiryWasZero = sessionExpiry == 0;
    String clientId = p.clientIdentifier() == null ? "" : p.clientIdentifier();
    boolean assigned = clientId.isEmpty();
    if (assigned) {
      if (!v5 && !h.isCleanSession()) {
        refuse(c, ReasonCodes.V3_IDENTIFIER_REJECTED, "client_identifier_not_valid", "empty client id without clean session");
        return; // MQTT-3.1.3-8
      }
      clientId = "auto-" + UUID.randomUUID();
    }
    WillMessage will = null;
    if (h.isWillFlag()) {
      if (p.willTopic() == null || !Topics.isValidName(p.willTopic())) {
        refuse(c, v5 ? ReasonCodes.TOPIC_NAME_INVALID : -1, "will_topic_invalid", "invalid will topic");
        return;
      }
      will = will(p, h, v5);
    }
    c.clientId = clientId;
    Request request = new Request(clientId, assigned, h.isCleanSession(), sessionExpiry, h.keepAliveTimeSeconds(), will);
    ConnectInfo info = new ConnectInfo(assigned ? "" : clientId, Optional.ofNullable(p.userName()),
        Optional.ofNullable(p.passwordInBytes()), c.certificates.certificates(c.ctx.channel()),
        ClientAddress.of(c.ctx.channel()), c.version);
    c.phase = MqttConnection.Phase.AUTHENTICATING;
    c.ctx.channel().config().setAutoRead(false);
    services.authExecutor.execute(() -> {
      AuthDecision decision = authenticate(info);
      c.ctx.executor().execute(() -> complete(c, request, decision));
    });
  }

  private AuthDecision authenticate(ConnectInfo info) {
    try {
      return services.authenticator.authenticate(info);
    } catch (RuntimeException e) {
      LOG.error("Authenticator failed for client id {} from {}; refusing with server unavailable.", info.clientId(),
          info.remoteAddress(), e);
      return AuthDecision.refuse(RefusalReason.SERVER_UNAVAILABLE, "authenticator failed: " + e);
    }
  }

  private void complete(MqttConnection c, Request request, AuthDecision decision) {
    if (c.phase != MqttConnection.Phase.AUTHENTICATING || !c.ctx.channel().isActive()) {
      return;
    }
    if (decision instanceof AuthDecision.Refused refused) {
      LOG.info("Refused MQTT connection of client id {} from {}: {} ({}).", request.clientId(), c.remoteAddress(),
          refused.reason(), refused.logDetail());
      refuse(c, refused.reason().connackCode(c.version), refused.reason().name().toLowerCase(), null);
      return;
    }
    ClientIdentity identity = ((AuthDecision.Accepted) decision).identity();
    SessionKey key = new SessionKey(identity.tenant(), request.clientId());
    if (!services.tenantConnections.tryAcquire(identity.tenant(), services.sessions.isOnline(key))) {
      LOG.info("Refused MQTT connection of client id {} from {}: tenant {} already has {} connected clients.",
          request.clientId(), c.remoteAddress(), identity.tenant(), services.tenantConnections.limit());
      RefusalReason quota = RefusalReason.QUOTA_EXCEEDED;
      refuse(c, quota.connackCode(c.version), quota.name().toLowerCase(), null);
      return;
    }
    c.identity = identity;
    c.holdsTenantSlot = true;
    c.will = request.will();
    SessionRegistry.Opened opened = services.sessions.open(key, request.cleanStart(), request.sessionExpiry(), c);
    c.session = opened.session();
    c.connectedAtMillis = System.currentTimeMillis();
    c.cancelConnectTimeout();
    c.phase = MqttConnection.Phase.CONNECTED;
    c.send(Packets.connAck(0, opened.present(), connAckProperties(c, request)));
    if (request.keepAlive() > 0) {
      // MQTT-3.1.2-24: one and a half keep-alive periods without a packet close the connection.
      c.ctx.pipeline().addBefore(c.ctx.name(), "mqttKeepAlive",
          new IdleStateHandler(request.keepAlive() * 1500L, 0, 0, TimeUnit.MILLISECONDS));
    }
    services.metrics.connect("accepted");
    LOG.debug("Accepted {} as {} {} ({}, session present: {}).", c.describe(), identity.kind(), identity.principal(),
        c.version, opened.present());
    services.listener.onConnected(identity, request.clientId(), c.remoteAddress(), c.version);
    c.session.resume();
    c.resumeReading();
  }

  private MqttProperties connAckProperties(MqttConnection c, Request request) {
    if (!c.isV5()) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties props = new MqttProperties();
    if (request.assignedId()) {
      props.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, request.clientId()));
    }
    if (services.config.receiveMaximum() != 65_535) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, services.config.receiveMaximum()));
    }
    props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, services.config.maxPacketSize()));
    if (services.config.topicAliasMaximum() > 0) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM,
          services.config.topicAliasMaximum()));
    }
    return props;
  }

  private static WillMessage will(MqttConnectPayload p, MqttConnectVariableHeader h, boolean v5) {
    MqttProperties wp = v5 ? p.willProperties() : MqttProperties.NO_PROPERTIES;
    Instant now = Instant.now();
    BrokerMessage template = new BrokerMessage(p.willTopic(), p.willMessageInBytes() == null ? new byte[0]
        : p.willMessageInBytes(), h.willQos(), h.isWillRetain(), Optional.empty(),
        Optional.ofNullable(Props.string(wp, MqttProperties.CONTENT_TYPE)),
        Optional.ofNullable(Props.string(wp, MqttProperties.RESPONSE_TOPIC)),
        Optional.ofNullable(Props.binary(wp, MqttProperties.CORRELATION_DATA)),
        Props.integer(wp, MqttProperties.PAYLOAD_FORMAT_INDICATOR) == 1, Props.userProperties(wp), now);
    long delay = Math.max(0, Props.integer(wp, MqttProperties.WILL_DELAY_INTERVAL));
    return new WillMessage(template, Props.integer(wp, MqttProperties.PUBLICATION_EXPIRY_INTERVAL), delay * 1000);
  }

  /** Sends a refusing CONNACK with {@code code} (none when negative) and closes. */
  private void refuse(MqttConnection c, int code, String metric, String logDetail) {
    services.metrics.connect(metric);
    if (logDetail != null) {
      LOG.debug("Refused CONNECT from {}: {}.", c.remoteAddress(), logDetail);
    }
    if (code < 0) {
      c.close(DisconnectReason.PROTOCOL_ERROR);
    } else {
      // The client learns the kind of refusal, never the log detail (it may name accounts or keys).
      MqttProperties props = c.isV5() ? c.reasonString("Connection refused: " + metric.replace('_', ' '), true)
          : MqttProperties.NO_PROPERTIES;
      c.sendThenClose(Packets.connAck(code, false, props), DisconnectReason.PROTOCOL_ERROR);
    }
  }

  private void refuseMalformed(MqttConnection c, String what) {
    refuse(c, c.isV5() ? ReasonCodes.MALFORMED_PACKET : -1, "malformed", what);
  }

  /** DISCONNECT from the client: the will is discarded unless an MQTT 5 client asked for it (0x04). */
  void onDisconnect(MqttConnection c, MqttMessage msg) {
    if (c.isV5() && msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
      long expiry = Props.integer(h.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry >= 0) {
        if (c.sessionExpiryWasZero && expiry != 0) {
          c.protocolError("session expiry set on DISCONNECT after 0 on CONNECT"); // MQTT-3.14.2-2
          return;
        }
        c.session.expiryInterval(expiry);
      }
      if ((h.reasonCode() & 0xFF) != ReasonCodes.DISCONNECT_WITH_WILL) {
        c.will = null;
      }
    } else {
      c.will = null; // MQTT-3.14.4-3
    }
    c.close(DisconnectReason.CLIENT_DISCONNECTED);
  }

  /** The connection of an accepted client closed, for whatever reason. */
  void onConnectionLost(MqttConnection c, DisconnectReason reason) {
    Session session = c.session;
    boolean stillOwner = services.sessions.closed(session, c);
    WillMessage will = c.will;
    c.will = null;
    // A broker that shuts down is not the client failing: its will stays unsent (and a delay could not be kept).
    if (will != null && reason != DisconnectReason.SERVER_SHUTDOWN) {
      boolean ended = session.isEnded();
      if (will.delayMillis() == 0 || ended) {
        publishWill(c, will);
      } else if (stillOwner) {
        long expiryMillis = session.expiryInterval() == Session.NEVER_EXPIRES ? Long.MAX_VALUE
            : session.expiryInterval() * 1000;
        // MQTT 5 section 3.1.3.2: the will goes out after its delay or when the session ends, whichever is first.
        session.scheduleWill(() -> publishWill(c, will), Math.min(will.delayMillis(), expiryMillis));
      }
      // Taken over by a connection that continues the session before the delay: the will is not sent.
    }
    LOG.debug("Connection of {} closed: {}.", c.describe(), reason);
    services.listener.onDisconnected(c.identity, c.clientId, reason);
  }

  private void publishWill(MqttConnection c, WillMessage will) {
    if (!services.authorizer.mayPublish(c.identity, will.template().topic())) {
      services.metrics.refused("will");
      return;
    }
    services.router.publish(c.identity.tenant(), will.toPublish(), c.clientId);
  }
}
