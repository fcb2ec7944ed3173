package io.flotilla.gateway;

import io.flotilla.core.broker.MqttOverWebSocket;
import io.flotilla.gateway.mqtt.MqttBroker;
import io.flotilla.gateway.mqtt.protocol.CertificateSource;
import io.flotilla.gateway.mqtt.protocol.ClientAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.SocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT over WebSocket: each WebSocket session (owned by the HTTP server) gets an in-process Netty
 * {@link LocalChannel} connected to a {@link LocalServerChannel} whose children carry the broker's
 * ordinary MQTT pipeline, on event loops of the bridge's own (local channels need a {@link LocalIoHandler}).
 * Binary messages become {@code ByteBuf}s written to the local channel (the MQTT decoder reassembles
 * packets across messages); bytes the broker writes come out of the local channel and are sent as binary messages. Closing either side closes the other. The
 * WebSocket client's address is handed to the broker channel through {@link ClientAddress#KEY}.
 */
final class WebSocketBridge implements MqttOverWebSocket, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketBridge.class);
  private static final long CONNECT_TIMEOUT_MILLIS = 5_000;

  private final MqttBroker broker;
  private final int maxMessageBytes;
  private final LocalAddress address = new LocalAddress("flotilla-mqtt-ws-" + UUID.randomUUID());
  private final Map<SocketAddress, SocketAddress> clientAddresses = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final ChannelGroup clientChannels = new DefaultChannelGroup("mqtt-ws", GlobalEventExecutor.INSTANCE);
  private final EventLoopGroup loops;
  private final Channel serverChannel;
  private volatile boolean closed;

  private WebSocketBridge(MqttBroker broker, int maxPacketSize) {
    this.broker = broker;
    this.maxMessageBytes = (int) Math.min(Integer.MAX_VALUE - 8, 2L * maxPacketSize);
    // The broker's NIO loops cannot carry local channels in Netty 4.2, so the bridge has loops of its own.
    this.loops = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("mqtt-ws", true), LocalIoHandler.newFactory());
    this.serverChannel = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            SocketAddress client = clientAddresses.remove(ch.remoteAddress());
            if (client != null) {
              ch.attr(ClientAddress.KEY).set(client);
            }
            broker.install(ch.pipeline(), CertificateSource.NONE);
          }
        }).bind(address).syncUninterruptibly().channel();
  }

  /** Binds the in-process listener; the broker must be started. */
  static WebSocketBridge bind(MqttBroker broker, int maxPacketSize) {
    return new WebSocketBridge(broker, maxPacketSize);
  }

  @Override
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  @Override
  public Connection open(Peer peer) {
    if (closed) {
      peer.close();
      return Closed.INSTANCE;
    }
    LocalAddress local = new LocalAddress("mqtt-ws-" + ids.incrementAndGet());
    clientAddresses.put(local, peer.remoteAddress());
    ChannelFuture connect = new Bootstrap().group(loops).channel(LocalChannel.class)
        .handler(new ToWebSocket(peer)).connect(address, local);
    // Sub-millisecond in process; waiting here keeps messages from arriving before the channel is open.
    if (!connect.awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || !connect.isSuccess()) {
      clientAddresses.remove(local);
      connect.channel().close();
      LOG.warn("Could not open the broker channel for the MQTT WebSocket client at {}", peer.remoteAddress(),
          connect.cause());
      peer.close();
      return Closed.INSTANCE;
    }
    // The child initializer takes the address out of clientAddresses (it may still be running now).
    Channel channel = connect.channel();
    clientChannels.add(channel);
    return new BridgedConnection(channel);
  }

  @Override
  public void close() {
    closed = true;
    clientChannels.close().awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS);
    serverChannel.close().syncUninterruptibly();
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** WebSocket to broker: copies each binary message into the local channel. */
  private static final class BridgedConnection implements Connection {
    private final Channel channel;

    BridgedConnection(Channel channel) {
      this.channel = channel;
    }

    @Override
    public void onBinary(byte[] data, int offset, int length) {
      if (length == 0 || !channel.isActive()) {
        return;
      }
      ByteBuf buf = channel.alloc().buffer(length);
      buf.writeBytes(data, offset, length);
      channel.writeAndFlush(buf, channel.voidPromise());
    }

    @Override
    public void onClose() {
      channel.close();
    }
  }

  /** Broker to WebSocket: each buffer the broker flushes becomes one binary message. */
  private static final class ToWebSocket extends ChannelInboundHandlerAdapter {
    private final Peer peer;
    private final AtomicBoolean closed = new AtomicBoolean();

    ToWebSocket(Peer peer) {
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buf)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (!buf.isReadable()) {
        buf.release();
        return;
      }
      peer.send(buf.nioBuffer(), buf::release);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closePeer();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("MQTT WebSocket bridge channel failed", cause);
      ctx.close();
    }

    private void closePeer() {
      if (closed.compareAndSet(false, true)) {
        peer.close();
      }
    }
  }

  private enum Closed implements Connection {
    INSTANCE;

    @Override
    public void onBinary(byte[] data, int offset, int length) {}

    @Override
    public void onClose() {}
  }
}
