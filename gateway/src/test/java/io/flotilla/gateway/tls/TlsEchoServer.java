package io.flotilla.gateway.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny Netty server on 127.0.0.1 and a free port that speaks TLS with a given context and echoes what
 * it reads. It records each handshake: the client's chain as the broker would read it, or the failure.
 */
final class TlsEchoServer implements AutoCloseable {
  /** One handshake as the server saw it. */
  record Handshake(boolean succeeded, List<X509Certificate> clientChain, String protocol, String failure) {}

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
  private final Channel channel;

  TlsEchoServer(SslContext context) throws InterruptedException {
    channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("tls", context.newHandler(ch.alloc())).addLast(new Echo());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The next handshake the server finished, successfully or not. */
  Handshake nextHandshake() throws InterruptedException {
    Handshake handshake = handshakes.poll(10, TimeUnit.SECONDS);
    if (handshake == null) {
      throw new AssertionError("the server saw no handshake end within 10 s");
    }
    return handshake;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslHandshakeCompletionEvent completion) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        handshakes.add(completion.isSuccess()
            ? new Handshake(true, PeerCertificates.of(tls), tls.engine().getSession().getProtocol(), "")
            : new Handshake(false, List.of(), "", String.valueOf(completion.cause())));
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      ctx.writeAndFlush(message);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
