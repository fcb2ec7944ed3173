package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.gateway.mqtt.BrokerConfig;
import io.flotilla.gateway.mqtt.BrokerMetrics;
import io.flotilla.gateway.mqtt.ConnectionListener;
import io.flotilla.gateway.mqtt.PublishInterceptor;
import io.flotilla.gateway.mqtt.auth.MqttAuthenticator;
import io.flotilla.gateway.mqtt.auth.MqttAuthorizer;
import io.flotilla.gateway.mqtt.session.Router;
import io.flotilla.gateway.mqtt.session.SessionRegistry;
import java.util.concurrent.Executor;

/**
 * What every connection of one broker shares: configuration, sessions, routing, security, metrics, and
 * the stateless packet flows. One instance per broker; connections hold a reference, not copies.
 */
public final class BrokerServices {

  final BrokerConfig config;
  final SessionRegistry sessions;
  final Router router;
  final BrokerMetrics metrics;
  final MqttAuthenticator authenticator;
  final MqttAuthorizer authorizer;
  final ConnectionListener listener;
  final Executor authExecutor;
  final ConnectFlow connectFlow;
  final InboundFlow inboundFlow;
  final SubscribeFlow subscribeFlow;
  final TrafficCounter trafficCounter;
  final TenantConnections tenantConnections;
  final PublishInterceptor interceptor;

  public BrokerServices(BrokerConfig config, SessionRegistry sessions, Router router, BrokerMetrics metrics,
      MqttAuthenticator authenticator, MqttAuthorizer authorizer, ConnectionListener listener, Executor authExecutor,
      PublishInterceptor interceptor) {
    this.config = config;
    this.sessions = sessions;
    this.router = router;
    this.metrics = metrics;
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.listener = listener;
    this.authExecutor = authExecutor;
    this.interceptor = interceptor;
    this.connectFlow = new ConnectFlow(this);
    this.inboundFlow = new InboundFlow(this);
    this.subscribeFlow = new SubscribeFlow(this);
    this.trafficCounter = new TrafficCounter(metrics);
    this.tenantConnections = new TenantConnections(config.maxConnectionsPerTenant());
  }

  public BrokerConfig config() {
    return config;
  }

  public TrafficCounter trafficCounter() {
    return trafficCounter;
  }
}
