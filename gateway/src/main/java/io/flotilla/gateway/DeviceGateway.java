package io.flotilla.gateway;

import io.flotilla.core.broker.BrokerAdmin;
import io.flotilla.core.broker.DevicePublisher;
import io.flotilla.core.broker.MqttOverWebSocket;
import io.flotilla.core.service.ProvisioningService;
import io.flotilla.core.service.RegistryServices;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.gateway.acl.TenantRulesAuthorizer;
import io.flotilla.gateway.acl.TopicRuleCache;
import io.flotilla.gateway.identity.RegistryAuthenticator;
import io.flotilla.gateway.mqtt.BrokerConfig;
import io.flotilla.gateway.mqtt.InterceptorChain;
import io.flotilla.gateway.mqtt.MqttBroker;
import io.flotilla.gateway.mqtt.PublishInterceptor;
import io.flotilla.gateway.mqtt.auth.NamespaceAuthorizer;
import io.flotilla.gateway.mqtt.store.RegistryBrokerStateStore;
import io.flotilla.gateway.provisioning.ProvisioningInterceptor;
import io.flotilla.gateway.tls.ServerTls;
import io.flotilla.gateway.tls.TlsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.BindException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices' door: the MQTT broker on plain TCP and TLS, authenticated and authorized by the
 * registry (device namespaces, widened by the tenants' topic rules held in memory), telling the registry
 * who is online, and closing connections whose access was revoked.
 */
public final class DeviceGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceGateway.class);

  private final MqttBroker broker;
  private final TlsListener tlsListener;
  private final ServerTls tls;
  private final ConnectivityBridge connectivity;
  private final AutoCloseable revocations;
  private final WebSocketBridge webSocket;
  private final TopicRuleCache topicRules;
  private final InterceptorChain interceptors;
  private final RegistryAuthenticator authenticator;
  private final MeterRegistry metrics;
  private final Clock clock;
  private volatile Optional<ProvisioningInterceptor> provisioning = Optional.empty();

  private DeviceGateway(MqttBroker broker, TlsListener tlsListener, WebSocketBridge webSocket, ServerTls tls,
      ConnectivityBridge connectivity, AutoCloseable revocations, TopicRuleCache topicRules, InterceptorChain interceptors,
      RegistryAuthenticator authenticator, MeterRegistry metrics, Clock clock) {
    this.authenticator = authenticator;
    this.metrics = metrics;
    this.clock = clock;
    this.topicRules = topicRules;
    this.interceptors = interceptors;
    this.broker = broker;
    this.tlsListener = tlsListener;
    this.webSocket = webSocket;
    this.tls = tls;
    this.connectivity = connectivity;
    this.revocations = revocations;
  }

  /** Starts both listeners; throws {@link ListenerBindException} naming the listener whose port is taken. */
  public static DeviceGateway start(GatewaySettings settings, RegistryServices services, RegistryStore registry,
      MeterRegistry metrics, Clock clock) {
    return start(settings, services, registry, metrics, clock, PublishInterceptor.NONE);
  }

  /**
   * Starts both listeners, handing the messages the platform consumes itself (telemetry) to
   * {@code interceptor}; throws {@link ListenerBindException} naming the listener whose port is taken.
   */
  public static DeviceGateway start(GatewaySettings settings, RegistryServices services, RegistryStore registry,
      MeterRegistry metrics, Clock clock, PublishInterceptor interceptor) {
    InterceptorChain chain = new InterceptorChain(interceptor);
    ServerTls tls = ServerTls.open(settings.dataDir(), TlsSettings.defaults().withExtraNames(settings.tlsNames())
        .withClientAuth(settings.clientAuth()), clock);
    TopicRuleCache topicRules = TopicRuleCache.start(services.topicRules(), services.events());
    ConnectivityBridge connectivity = new ConnectivityBridge(services.connectivity());
    BrokerConfig config = BrokerConfig.defaults().withBindAddress(settings.bindAddress()).withPort(settings.mqttPort())
        .withPublishRateLimit(settings.maxPublishRate(), settings.maxPublishBytesRate())
        .withMaxConnectionsPerTenant(settings.maxConnectionsPerTenant());
    RegistryAuthenticator authenticator = new RegistryAuthenticator(services.deviceAuthentication(),
        services.tokens(), settings.allowAnonymous());
    MqttBroker broker = MqttBroker.builder(config)
        .authenticator(authenticator)
        .authorizer(new TenantRulesAuthorizer(new NamespaceAuthorizer(), topicRules))
        .stateStore(new RegistryBrokerStateStore(registry))
        .meterRegistry(metrics)
        .connectionListener(connectivity)
        .publishInterceptor(chain)
        .build();
    try {
      broker.start();
    } catch (IllegalStateException e) {
      connectivity.close();
      topicRules.close();
      throw bindFailure(e, "MQTT", settings.bindAddress(), settings.mqttPort());
    }
    TlsListener tlsListener;
    try {
      tlsListener = TlsListener.bind(broker, tls, settings.bindAddress(), settings.mqttsPort(),
          config.connectTimeout());
    } catch (ListenerBindException e) {
      broker.close();
      connectivity.close();
      topicRules.close();
      throw e;
    }
    WebSocketBridge webSocket;
    try {
      webSocket = WebSocketBridge.bind(broker, config.maxPacketSize());
    } catch (RuntimeException e) {
      tlsListener.close();
      broker.close();
      connectivity.close();
      topicRules.close();
      throw e;
    }
    AutoCloseable revocations = services.events().subscribe(new AccessRevocations(broker));
    LOG.info("Device gateway is serving MQTT on {}:{} and MQTT over TLS on {}:{} (client certificates {})",
        settings.bindAddress(), broker.port(), settings.bindAddress(), tlsListener.port(),
        settings.clientAuth().name().toLowerCase(java.util.Locale.ROOT));
    return new DeviceGateway(broker, tlsListener, webSocket, tls, connectivity, revocations, topicRules, chain,
        authenticator, metrics, clock);
  }

  public int mqttPort() {
    return broker.port();
  }

  public int mqttsPort() {
    return tlsListener.port();
  }

  /** The server's TLS identity and contexts, which the HTTPS API shares with the MQTT TLS listener. */
  public ServerTls tls() {
    return tls;
  }

  /** The PEM of the CA devices should trust, empty when the operator configured the certificate. */
  public Optional<String> serverCaPem() {
    return tls.caCertificatePem();
  }

  /** MQTT over WebSocket, for the HTTP server to mount (on {@code /mqtt}). */
  public MqttOverWebSocket mqttOverWebSocket() {
    return webSocket;
  }

  /** The interceptors the broker consults; platform features add theirs after start. */
  public InterceptorChain interceptors() {
    return interceptors;
  }

  /**
   * Turns provisioning by claim on: claim certificates and symmetric-key proofs are accepted as provisioning
   * clients, and their requests on {@code $provisioning/register} are answered.
   */
  public void enableProvisioning(ProvisioningService service) {
    ProvisioningInterceptor interceptor = new ProvisioningInterceptor(service, publisher(), metrics, clock);
    provisioning = Optional.of(interceptor);
    interceptors.add(interceptor);
    authenticator.acceptClaims(service);
  }

  /** The platform's way to publish to devices. */
  public DevicePublisher publisher() {
    return new BrokerSessions(broker);
  }

  public BrokerAdmin admin() {
    return new BrokerSessions(broker);
  }

  /** The broker itself, for code that embeds the gateway. */
  public MqttBroker broker() {
    return broker;
  }

  /** Marks the devices connected now as seen now; the server calls this before it flushes last-seen times. */
  public void touchConnectedDevices() {
    connectivity.touchConnected();
  }

  /** Waits until the topic rule reloads asked for so far are done; for tests. */
  public void awaitTopicRulesReloaded() {
    topicRules.awaitReloaded();
  }

  /** Waits until connect and disconnect records queued so far are written; for tests. */
  public void awaitConnectivityWritten() {
    connectivity.awaitWritten();
  }

  @Override
  public void close() {
    try {
      revocations.close();
    } catch (Exception e) {
      LOG.debug("Unsubscribing from domain events failed", e);
    }
    provisioning.ifPresent(ProvisioningInterceptor::close); // requests in hand are answered while the broker runs
    webSocket.close();
    tlsListener.close();
    broker.close();
    connectivity.close();
    topicRules.close();
  }

  private static RuntimeException bindFailure(IllegalStateException e, String listener, String host, int port) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new ListenerBindException(listener, host, port, t);
      }
    }
    return e;
  }
}
