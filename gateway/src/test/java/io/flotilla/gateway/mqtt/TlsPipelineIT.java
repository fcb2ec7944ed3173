package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.flotilla.gateway.mqtt.auth.AuthDecision;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ConnectInfo;
import io.flotilla.gateway.mqtt.protocol.CertificateSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker behind a TLS listener set up outside it: an {@code SslHandler} in front of
 * {@link MqttBroker#install}, on the broker's own event loops; the client certificate reaches the
 * authenticator, which makes the client a device.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsPipelineIT {

  @Test
  void clientCertificateReachesTheAuthenticatorThroughTls() throws Exception {
    SelfSignedCertificate serverCert = new SelfSignedCertificate("broker.test");
    SelfSignedCertificate deviceCert = new SelfSignedCertificate("device-7");
    AtomicReference<ConnectInfo> seen = new AtomicReference<>();
    MqttBroker broker = MqttBroker.builder(BrokerConfig.defaults().withBindAddress("127.0.0.1").withPort(0))
        .authenticator(info -> {
          seen.set(info);
          return info.certificateChain().map(chain -> AuthDecision.accept(ClientIdentity.device("acme",
              chain.get(0).getSubjectX500Principal().getName().replace("CN=", ""))))
              .orElse(AuthDecision.accept(ClientIdentity.anonymous("acme")));
        }).build().start();
    SslContext ssl = SslContextBuilder.forServer(serverCert.certificate(), serverCert.privateKey())
        .clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    Channel tlsListener = new ServerBootstrap().group(broker.eventLoops()).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
            broker.install(ch.pipeline(), CertificateSource.SSL_HANDLER);
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    try {
      int port = ((InetSocketAddress) tlsListener.localAddress()).getPort();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("device", deviceCert.key(), new char[0], new Certificate[] {deviceCert.cert()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("device-7").serverHost("127.0.0.1").serverPort(port)
          .sslConfig().keyManagerFactory(kmf).trustManagerFactory(InsecureTrustManagerFactory.INSTANCE).applySslConfig()
          .buildBlocking();
      device.connect();
      assertThat(seen.get().certificateChain()).isPresent();
      assertThat(seen.get().certificateChain().get().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=device-7");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = device.publishes(MqttGlobalPublishFilter.ALL)) {
        device.subscribeWith().topicFilter("devices/device-7/commands").send();
        device.publishWith().topic("devices/device-7/commands").payload("over tls".getBytes(StandardCharsets.UTF_8))
            .send();
        assertThat(new String(in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("over tls");
      }
      assertThat(broker.session("acme", "device-7")).isPresent();
      device.disconnect();
    } finally {
      tlsListener.close().sync();
      broker.close();
      serverCert.delete();
      deviceCert.delete();
    }
  }
}
