package io.flotilla.tools.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The load generator's MQTT client: Netty with its MQTT codec on a few event loop threads (one by
 * default, since the broker under test shares this machine's cores), on the NIO transport. Each
 * connection comes from the next {@link SourceAddresses source address} so that one machine can
 * hold tens of thousands of them. TLS connections trust any certificate and never resume a session,
 * so that each one costs the broker a full handshake.
 */
final class MqttLoadClient implements AutoCloseable {
  /** The largest packet the client accepts from a broker. */
  private static final int MAX_PACKET_BYTES = 64 * 1024;

  private final EventLoopGroup group;
  private final SourceAddresses sources;
  private final SslContext sslContext;
  private final Duration connectTimeout;

  MqttLoadClient(int threads, SourceAddresses sources, Duration connectTimeout) {
    // Sampling buffers for leaks costs the generator time and tells nothing about the brokers.
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    this.sources = sources;
    this.connectTimeout = connectTimeout;
    try {
      this.sslContext = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    } catch (SSLException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException("The JDK cannot make a TLS client context: " + e.getMessage(), e);
    }
  }

  SourceAddresses sources() {
    return sources;
  }

  /**
   * Opens a connection and sends CONNECT; the future completes with the channel once the broker
   * accepted it (CONNACK), or fails with the reason. Never blocks.
   *
   * @param keepAliveSeconds announced in CONNECT; the client sends PINGREQ after three quarters of
   *     it without traffic (0: no keep-alive)
   */
  CompletableFuture<Channel> connect(InetSocketAddress broker, boolean tls, String clientId, int keepAliveSeconds,
      MqttSessionListener listener) {
    return connect(broker, tls, clientId, keepAliveSeconds, Optional.empty(), listener);
  }

  /** {@link #connect(InetSocketAddress, boolean, String, int, MqttSessionListener)} with a user name and password. */
  CompletableFuture<Channel> connect(InetSocketAddress broker, boolean tls, String clientId, int keepAliveSeconds,
      Optional<MqttLogin> login, MqttSessionListener listener) {
    return connect(broker, tls ? Optional.of(sslContext) : Optional.empty(), clientId, keepAliveSeconds, login,
        listener);
  }

  /**
   * A TLS connection with a context of the caller's, one that presents a client certificate, say. Each
   * handshake is still a full one: Netty's client contexts resume sessions only when given the peer's host.
   */
  CompletableFuture<Channel> connect(InetSocketAddress broker, SslContext tls, String clientId, int keepAliveSeconds,
      MqttSessionListener listener) {
    return connect(broker, Optional.of(tls), clientId, keepAliveSeconds, Optional.empty(), listener);
  }

  private CompletableFuture<Channel> connect(InetSocketAddress broker, Optional<SslContext> tls, String clientId,
      int keepAliveSeconds, Optional<MqttLogin> login, MqttSessionListener listener) {
    CompletableFuture<Channel> connected = new CompletableFuture<>();
    Bootstrap bootstrap = new Bootstrap().group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            ChannelPipeline pipeline = channel.pipeline();
            if (tls.isPresent()) {
              pipeline.addLast(tls.get().newHandler(channel.alloc()));
            }
            if (keepAliveSeconds > 0) {
              pipeline.addLast(new IdleStateHandler(0, keepAliveSeconds * 3L / 4, 0, TimeUnit.SECONDS));
            }
            pipeline.addLast(new MqttDecoder(MAX_PACKET_BYTES), MqttEncoder.INSTANCE,
                new MqttClientHandler(clientId, login, keepAliveSeconds, connectTimeout.toMillis(), listener,
                    connected));
          }
        });
    ChannelFuture future = bootstrap.connect(broker, new InetSocketAddress(sources.next(), 0));
    future.addListener(f -> {
      if (!f.isSuccess()) {
        connected.completeExceptionally(f.cause());
      }
    });
    return connected;
  }

  /** Closes every connection and stops the event loops. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
