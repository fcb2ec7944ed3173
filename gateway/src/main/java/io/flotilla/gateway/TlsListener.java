package io.flotilla.gateway;

import io.flotilla.gateway.mqtt.MqttBroker;
import io.flotilla.gateway.mqtt.protocol.CertificateSource;
import io.flotilla.gateway.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * MQTT over TLS: a listener on the broker's own event loops whose channels start with an
 * SslHandler and then carry the same MQTT pipeline as plain TCP, with the client's certificate
 * chain handed to the authenticator.
 */
final class TlsListener implements AutoCloseable {
  private final Channel serverChannel;

  private TlsListener(Channel serverChannel) {
    this.serverChannel = serverChannel;
  }

  static TlsListener bind(MqttBroker broker, ServerTls tls, String host, int port, Duration handshakeTimeout) {
    ChannelInitializer<Channel> init = new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        SslHandler ssl = tls.sslContext().newHandler(ch.alloc());
        ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        ch.pipeline().addLast("tls", ssl);
        broker.install(ch.pipeline(), CertificateSource.SSL_HANDLER);
      }
    };
    try {
      Channel channel = new ServerBootstrap().group(broker.eventLoops()).channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024).childOption(ChannelOption.TCP_NODELAY, true).childHandler(init)
          .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
      return new TlsListener(channel);
    } catch (Exception e) { // Netty rethrows the checked BindException undeclared
      throw new ListenerBindException("MQTTS", host, port, e);
    }
  }

  int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
  }
}
