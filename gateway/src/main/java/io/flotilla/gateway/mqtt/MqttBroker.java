package io.flotilla.gateway.mqtt;

import io.flotilla.core.broker.TenantMessage;
import io.flotilla.gateway.mqtt.auth.MqttAuthenticator;
import io.flotilla.gateway.mqtt.auth.MqttAuthorizer;
import io.flotilla.gateway.mqtt.auth.NamespaceAuthorizer;
import io.flotilla.gateway.mqtt.protocol.BrokerServices;
import io.flotilla.gateway.mqtt.protocol.CertificateSource;
import io.flotilla.gateway.mqtt.session.ClientLink;
import io.flotilla.gateway.mqtt.session.Router;
import io.flotilla.gateway.mqtt.session.Session;
import io.flotilla.gateway.mqtt.session.SessionKey;
import io.flotilla.gateway.mqtt.session.SessionRegistry;
import io.flotilla.gateway.mqtt.store.BrokerStateStore;
import io.flotilla.gateway.mqtt.store.InMemoryBrokerStateStore;
import io.flotilla.gateway.mqtt.store.StateWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable MQTT 3.1.1 / 5 broker. {@link #start()} loads retained messages and persistent sessions
 * from the {@link BrokerStateStore}, binds the TCP listener and returns once it is bound;
 * {@link #close()} disconnects every client, writes what must survive, and is idempotent. Other listeners
 * (TLS, WebSocket) reuse the same broker through {@link #channelInitializer(CertificateSource)} or
 * {@link #install(ChannelPipeline, CertificateSource)}.
 */
public final class MqttBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MqttBroker.class);

  private final BrokerConfig config;
  private final MqttAuthenticator authenticator;
  private final MqttAuthorizer authorizer;
  private final BrokerStateStore store;
  private final MeterRegistry meterRegistry;
  private final ConnectionListener listener;
  private final PublishInterceptor interceptor;
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private ExecutorService authExecutor;
  private StateWriter writer;
  private SessionRegistry sessions;
  private BrokerServices services;
  private Router router;
  private ChannelGroup channels;
  private Channel serverChannel;
  private boolean started;
  private boolean closed;

  private MqttBroker(Builder b) {
    this.config = b.config;
    this.authenticator = b.authenticator;
    this.authorizer = b.authorizer;
    this.store = b.store;
    this.meterRegistry = b.meterRegistry;
    this.listener = b.listener;
    this.interceptor = b.interceptor;
  }

  public static Builder builder(BrokerConfig config) {
    return new Builder(config);
  }

  /** Loads the stored state, binds the listener and returns once it accepts connections. */
  public synchronized MqttBroker start() {
    if (started) {
      throw new IllegalStateException("The MQTT broker was started already; create a new one to start again.");
    }
    started = true;
    BrokerMetrics metrics = new BrokerMetrics(meterRegistry);
    bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
    authExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mqtt-auth-", 0).factory());
    writer = new StateWriter(store);
    sessions = new SessionRegistry(config, metrics, writer, workerGroup);
    router = new Router(sessions, writer, metrics);
    services = new BrokerServices(config, sessions, router, metrics, authenticator, authorizer, listener, authExecutor,
        interceptor);
    channels = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    List<TenantMessage> retained = store.loadRetained();
    retained.forEach(m -> router.restoreRetained(m.tenant(), m.message()));
    sessions.restore(store.loadSessions());
    metrics.retainedGauge(() -> sessions.spaces().stream().mapToInt(s -> s.retained().size()).sum());
    try {
      serverChannel = new ServerBootstrap().group(bossGroup, workerGroup).channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024).childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(channelInitializer(CertificateSource.NONE))
          .bind(new InetSocketAddress(config.bindAddress(), config.port())).syncUninterruptibly().channel();
    } catch (Exception e) { // Netty rethrows the checked BindException undeclared
      close();
      throw new IllegalStateException("The MQTT broker could not listen on " + config.bindAddress() + ":" + config.port()
          + " (" + e.getMessage() + "); choose another port or bind address in the broker configuration.", e);
    }
    LOG.info("MQTT broker listening on {}:{} with {} retained messages and {} stored sessions.", config.bindAddress(),
        port(), retained.size(), sessions.all().size());
    return this;
  }

  /** The bound TCP port (the one picked when the configured port was 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Sets up a new channel of any listener (TCP, TLS, WebSocket) for MQTT, after handlers added before it. */
  public ChannelInitializer<Channel> channelInitializer(CertificateSource certificates) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        install(ch.pipeline(), certificates);
      }
    };
  }

  /**
   * Adds the MQTT handlers at the end of {@code pipeline}, for a listener set up elsewhere (e.g. behind an
   * {@code SslHandler}, with {@link CertificateSource#SSL_HANDLER}). The channel should be registered on
   * {@link #eventLoops()} so that it shares the broker's threads.
   */
  public void install(ChannelPipeline pipeline, CertificateSource certificates) {
    requireStarted();
    channels.add(pipeline.channel());
    MqttPipeline.install(pipeline, services, certificates);
  }

  /** The broker's network event loops, for other listeners to register their channels on. */
  public EventLoopGroup eventLoops() {
    requireStarted();
    return workerGroup;
  }

  /** Every session (online and offline) of every tenant, ordered by tenant and client id. */
  public List<SessionInfo> sessions() {
    requireStarted();
    List<SessionInfo> all = new ArrayList<>();
    for (Session s : sessions.all()) {
      all.add(info(s));
    }
    all.sort(Comparator.comparing(SessionInfo::tenant).thenComparing(SessionInfo::clientId));
    return all;
  }

  public List<SessionInfo> sessions(String tenant) {
    return sessions().stream().filter(s -> s.tenant().equals(tenant)).toList();
  }

  public Optional<SessionInfo> session(String tenant, String clientId) {
    requireStarted();
    return sessions.find(new SessionKey(tenant, clientId)).map(MqttBroker::info);
  }

  private static SessionInfo info(Session s) {
    Optional<ClientLink> link = s.client();
    return new SessionInfo(s.key().tenant(), s.clientId(), link.isPresent(), link.map(ClientLink::protocolVersion),
        link.map(ClientLink::remoteAddress), link.map(l -> Instant.ofEpochMilli(l.connectedAtMillis())),
        s.subscriptionCount(), s.queuedCount(), s.inFlightCount());
  }

  /**
   * Publishes {@code message} in {@code tenant}'s topic space on the platform's behalf (no client, no ACL);
   * returns how many sessions it was delivered or queued to.
   */
  public int publish(String tenant, io.flotilla.core.broker.BrokerMessage message) {
    requireStarted();
    return router.publish(tenant, message, null);
  }

  /** Sets (or, with an empty payload, removes) the topic's retained message in {@code tenant} without delivering it. */
  public void retain(String tenant, io.flotilla.core.broker.BrokerMessage message) {
    requireStarted();
    router.retain(tenant, message);
  }

  /**
   * {@link #publish(String, io.flotilla.core.broker.BrokerMessage)}, telling {@code acknowledged} (on an event
   * loop, inside the session's lock: it must not block) the client id of each session whose client acknowledges
   * the message.
   */
  public int publish(String tenant, io.flotilla.core.broker.BrokerMessage message,
      java.util.function.Consumer<String> acknowledged) {
    requireStarted();
    return router.publish(tenant, message, null, null, acknowledged);
  }

  /** True while a client with this id is connected in the tenant. */
  public boolean connected(String tenant, String clientId) {
    requireStarted();
    return sessions.find(new SessionKey(tenant, clientId)).flatMap(Session::client).isPresent();
  }

  /**
   * Disconnects the client of this session (MQTT 5: DISCONNECT 0x98); with {@code discardSession} its
   * session is ended too, subscriptions and queue included. False when there is no such session.
   */
  public boolean disconnect(String tenant, String clientId, boolean discardSession) {
    requireStarted();
    Optional<Session> session = sessions.find(new SessionKey(tenant, clientId));
    if (session.isEmpty()) {
      return false;
    }
    session.get().client().ifPresent(ClientLink::disconnectByAdministrator);
    if (discardSession) {
      sessions.endSession(session.get(), false);
    }
    LOG.info("Operator disconnected MQTT client {}/{}{}.", tenant, clientId, discardSession ? " and discarded its session" : "");
    return true;
  }

  /**
   * Disconnects the connected client of this session (keeping the session) when {@code which} accepts the identity
   * it connected with; a client whose identity is unknown is disconnected. False when none was.
   */
  public boolean disconnectIf(String tenant, String clientId,
      java.util.function.Predicate<io.flotilla.gateway.mqtt.auth.ClientIdentity> which) {
    requireStarted();
    Optional<ClientLink> client = sessions.find(new SessionKey(tenant, clientId)).flatMap(Session::client)
        .filter(link -> link.identity().map(which::test).orElse(true));
    client.ifPresent(ClientLink::disconnectByAdministrator);
    client.ifPresent(link -> LOG.info("Operator disconnected MQTT client {}/{}.", tenant, clientId));
    return client.isPresent();
  }

  /** The store changes queued so far are written; for tests and orderly hand-over. */
  public void awaitStateWritten() {
    requireStarted();
    writer.awaitWritten();
  }

  private void requireStarted() {
    if (!started || services == null) {
      throw new IllegalStateException("The MQTT broker is not started.");
    }
  }

  @Override
  public synchronized void close() {
    if (closed || !started) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    if (sessions != null) {
      sessions.all().forEach(s -> s.client().ifPresent(ClientLink::disconnectForShutdown));
    }
    if (channels != null) {
      channels.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
      channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    shutdown(bossGroup);
    shutdown(workerGroup);
    if (authExecutor != null) {
      authExecutor.shutdownNow();
    }
    if (writer != null) {
      writer.close();
    }
    LOG.info("MQTT broker stopped.");
  }

  private static void shutdown(EventLoopGroup group) {
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /** Collects what the broker is built from; everything but the configuration has a default. */
  public static final class Builder {
    private final BrokerConfig config;
    private MqttAuthenticator authenticator = MqttAuthenticator.anonymous("default");
    private MqttAuthorizer authorizer = new NamespaceAuthorizer();
    private BrokerStateStore store = new InMemoryBrokerStateStore();
    private MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private ConnectionListener listener = ConnectionListener.NONE;
    private PublishInterceptor interceptor = PublishInterceptor.NONE;

    private Builder(BrokerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Who may connect; defaults to everyone, anonymously, in tenant {@code default} (development only). */
    public Builder authenticator(MqttAuthenticator value) {
      this.authenticator = Objects.requireNonNull(value);
      return this;
    }

    /** What each client may publish and subscribe; defaults to {@link NamespaceAuthorizer}. */
    public Builder authorizer(MqttAuthorizer value) {
      this.authorizer = Objects.requireNonNull(value);
      return this;
    }

    /** Where retained messages and persistent sessions are kept; defaults to memory. */
    public Builder stateStore(BrokerStateStore value) {
      this.store = Objects.requireNonNull(value);
      return this;
    }

    public Builder meterRegistry(MeterRegistry value) {
      this.meterRegistry = Objects.requireNonNull(value);
      return this;
    }

    public Builder connectionListener(ConnectionListener value) {
      this.listener = Objects.requireNonNull(value);
      return this;
    }

    /** Who takes over the messages the platform consumes itself; defaults to nobody. */
    public Builder publishInterceptor(PublishInterceptor value) {
      this.interceptor = Objects.requireNonNull(value);
      return this;
    }

    public MqttBroker build() {
      return new MqttBroker(this);
    }
  }
}
