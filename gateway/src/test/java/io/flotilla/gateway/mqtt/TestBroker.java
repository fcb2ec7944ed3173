package io.flotilla.gateway.mqtt;

import io.flotilla.gateway.mqtt.auth.AuthDecision;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ConnectInfo;
import io.flotilla.gateway.mqtt.auth.MqttAuthenticator;
import io.flotilla.gateway.mqtt.auth.NamespaceAuthorizer;
import io.flotilla.gateway.mqtt.auth.RefusalReason;
import io.flotilla.gateway.mqtt.store.BrokerStateStore;
import io.flotilla.gateway.mqtt.store.InMemoryBrokerStateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Starts a real broker on 127.0.0.1 and a free port for one test class, with a test authenticator:
 * no user name connects anonymously to tenant {@code default}; user name {@code tenant/kind/name} with
 * password {@code secret} connects as that identity ({@code kind} is {@code app} or {@code device});
 * any other password is refused as a bad user name or password, user name {@code banned} as banned.
 */
public final class TestBroker implements AutoCloseable {

  public static final String PASSWORD = "secret";

  public final MqttBroker broker;
  public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  public final BrokerStateStore store;

  private TestBroker(UnaryOperator<BrokerConfig> tune, BrokerStateStore store, ConnectionListener listener) {
    this.store = store;
    BrokerConfig config = tune.apply(BrokerConfig.defaults().withBindAddress("127.0.0.1").withPort(0).withIoThreads(2));
    broker = MqttBroker.builder(config).authenticator(TestBroker::authenticate).authorizer(new NamespaceAuthorizer())
        .stateStore(store).meterRegistry(meters).connectionListener(listener).build().start();
  }

  public static TestBroker start() {
    return new TestBroker(c -> c, new InMemoryBrokerStateStore(), ConnectionListener.NONE);
  }

  public static TestBroker start(UnaryOperator<BrokerConfig> tune) {
    return new TestBroker(tune, new InMemoryBrokerStateStore(), ConnectionListener.NONE);
  }

  public static TestBroker start(UnaryOperator<BrokerConfig> tune, BrokerStateStore store, ConnectionListener l) {
    return new TestBroker(tune, store, l);
  }

  public int port() {
    return broker.port();
  }

  public String tcpUri() {
    return "tcp://127.0.0.1:" + port();
  }

  static AuthDecision authenticate(ConnectInfo info) {
    if (info.username().isEmpty()) {
      return AuthDecision.accept(ClientIdentity.anonymous("default"));
    }
    String user = info.username().get();
    if (user.equals("banned")) {
      return AuthDecision.refuse(RefusalReason.BANNED, "user is banned");
    }
    String password = info.password().map(p -> new String(p, StandardCharsets.UTF_8)).orElse("");
    String[] parts = user.split("/");
    if (!password.equals(PASSWORD) || parts.length != 3) {
      return AuthDecision.refuse(RefusalReason.BAD_USERNAME_OR_PASSWORD, "wrong password for " + user);
    }
    return switch (parts[1]) {
      case "app" -> AuthDecision.accept(ClientIdentity.application(parts[0], parts[2]));
      case "device" -> AuthDecision.accept(ClientIdentity.device(parts[0], parts[2]));
      default -> AuthDecision.refuse(RefusalReason.NOT_AUTHORIZED, "unknown kind " + parts[1]);
    };
  }

  /** An authenticator that accepts everyone as an application of tenant {@code default}. */
  static MqttAuthenticator applications() {
    return info -> AuthDecision.accept(ClientIdentity.application("default", info.clientId()));
  }

  @Override
  public void close() {
    broker.close();
  }
}
